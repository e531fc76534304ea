"""The load test's parts at a small scale: the data generator, the sessions it hands to locust
(they log in for real), the locust scenarios' pages, and the runner's table."""

import json

import pytest
from benchmarks.load import generate, run
from django.test import Client
from django.test.utils import override_settings

from clusterxchange.directory.models import Organisation
from clusterxchange.events.models import Meeting
from clusterxchange.exchanges.models import Exchange


@pytest.mark.django_db
def test_generator_builds_the_data_set_and_working_logins(tmp_path):
    figures = generate.build(300, 40, participants=60, meetings=120, seed=3)
    assert Organisation.objects.filter(clusters__slug__startswith="load-").count() == 300
    assert Exchange.objects.filter(programme__slug="load").count() == 40
    assert Meeting.objects.filter(slot__isnull=False, published_slot__isnull=False).count() > 30
    assert figures["placed"].endswith("of 120")
    sample = Organisation.objects.exclude(org_type="cluster").filter(slug__contains="-").first()
    assert sample.search_document == sample.search_document.lower() and sample.search_document

    with override_settings(SESSION_COOKIE_SECURE=False):
        users = json.loads(generate.sessions(tmp_path).read_text())
        participant = Client()
        participant.cookies["sessionid"] = users["participants"][0]
        assert participant.get(f"/events/{users['event']}/agenda/").status_code == 200
        manager = Client()
        manager.cookies["sessionid"] = users["managers"][0]
        page = manager.get("/exchanges/")
        assert page.status_code == 200 and page.context["user"].email.startswith("manager")
    api = Client().get(
        "/api/organisations", {"q": "a", "page_size": 20}, HTTP_AUTHORIZATION=f"Bearer {users['token']}"
    )
    assert api.status_code == 200 and api.json()["count"] > 0
    assert Client().get(f"/directory/organisations/{users['organisations'][0]}/").status_code == 200


def test_runner_table_flags_missed_targets_and_errors(tmp_path):
    stats = tmp_path / "locust_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%\n"
        "GET,directory search,1000,0,16.7,40,120,300\n"
        "GET,agenda page,500,2,8.3,90,250,400\n"
        ",Aggregated,1500,2,25.0,50,200,350\n"
    )
    rendered, misses = run.table(stats)
    assert "| directory search | 1000 | 0 | 16.7 | 40 | 120 | 300 |" in rendered
    assert "| **all** | 1500 | 2 | 25.0 | 50 | 200 | 350 |" in rendered
    assert misses == ["agenda page: p95 250 ms", "agenda page: 2 errors"]
