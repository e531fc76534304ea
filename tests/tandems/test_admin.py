"""Admin for coordinators: list and change pages of tandems and training, object rules applied."""

import pytest

PAGES = [
    "/admin/tandems/tandem/",
    "/admin/tandems/strategyreview/",
    "/admin/tandems/capabilityassessment/",
    "/admin/training/trainingentry/",
    "/admin/training/trainingrecord/",
]


@pytest.mark.parametrize("url", PAGES)
def test_coordinator_uses_the_admin(tw, url):
    assert tw.client("coordinator").get(url).status_code == 200


def test_coordinator_opens_objects(tw):
    client = tw.client("coordinator")
    assert client.get(f"/admin/tandems/tandem/{tw.tandem.pk}/change/").status_code == 200
    assert client.get(f"/admin/training/trainingrecord/{tw.record.pk}/change/").status_code == 200


@pytest.mark.parametrize("role", ["manager", "staff", "anonymous"])
def test_others_do_not(tw, role):
    assert tw.client(role).get("/admin/tandems/tandem/").status_code == 302
