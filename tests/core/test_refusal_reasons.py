"""A 403 says why, in the reader's language: every refusal gives a reason, most from the permission's
declared refusal (`refuse_with` beside it in the app's rules.py, read by `core.domain.require`),
the rest in place (`PermissionDenied(_("…"))`)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "src" / "clusterxchange"


def test_no_permission_is_refused_without_a_reason():
    bare = re.compile(r"raise PermissionDenied(\(\))?\s*$", re.M)
    found = [
        f"{path.relative_to(SOURCE)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in SOURCE.rglob("*.py")
        for text in [path.read_text(encoding="utf-8")]
        for match in bare.finditer(text)
    ]
    assert found == []


def _page(world, role: str, url_name: str, args=(), language: str = "en") -> str:
    with translation.override(language):
        url = reverse(url_name, args=args)
    response = world.client(role).get(url)
    assert response.status_code == 403
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "page", "english", "german"),
    [
        (
            "owner",
            "event_import",
            "Only the event&#x27;s organisers may do this.",
            "Nur die Organisatoren der Veranstaltung dürfen dies tun.",
        ),
        (
            "manager",
            "training_moderation",
            "Only the programme&#x27;s coordinators may do this.",
            "Nur die Koordinatoren des Programms dürfen dies tun.",
        ),
        (
            "outsider",
            "organisation_edit",
            "Only those who manage the organisation&#x27;s profile may do this.",
            "Nur wer das Profil der Organisation verwaltet, darf dies tun.",
        ),
        (
            "owner",
            "messages",
            "Only coordinators and the managers of partner clusters may do this.",
            "Nur Koordinatoren und die Manager von Partnerclustern dürfen dies tun.",
        ),
    ],
)
def test_the_403_page_says_why_in_english_and_german(world, role, page, english, german):
    pages = {
        "event_import": lambda: ("events:import", [make_event(world).slug]),
        "training_moderation": lambda: ("training:moderation", []),
        "organisation_edit": lambda: ("directory:organisation_edit", [world.cluster_a.slug]),
        "messages": lambda: ("messaging:list", []),
    }
    url_name, args = pages[page]()
    assert english in _page(world, role, url_name, args)
    assert german in _page(world, role, url_name, args, "de")


def test_the_api_403_says_why(world):
    answer = world.client("owner").get("/api/messaging/messages")
    assert answer.status_code == 403
    assert answer.json() == {"detail": "Only coordinators and the managers of partner clusters may do this."}


def test_a_domain_action_refused_by_a_permission_gives_its_declared_reason(world):
    from django.core.exceptions import PermissionDenied

    from clusterxchange.events.domain import organising

    event = make_event(world)
    with pytest.raises(PermissionDenied) as refused, translation.override("de"):
        organising.update_event(world.users["owner"], event, {"city": "Leipzig"})
    with translation.override("de"):
        assert str(refused.value.args[0]) == "Nur die Organisatoren der Veranstaltung dürfen dies tun."
