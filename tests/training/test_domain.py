"""Training domain rules: catalogue validation, moderation, records, and the staff-trained KPI."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import Person
from clusterxchange.training import domain, kpis
from clusterxchange.training.models import TrainingEntry
from clusterxchange.training.suggestions import suggest_courses
from tests.tandems.conftest import aware, topic

BASE = {
    "title": "Course",
    "provider": "Provider",
    "link": "https://provider.example/course",
    "level": "beginner",
    "format": "webinar",
}


@pytest.mark.parametrize(
    "link", ["ftp://provider.example/c", "javascript:alert(1)", "mailto:a@b.example", "provider"]
)
def test_links_must_be_http_or_https(tw, link):
    with pytest.raises(ValidationError) as exc:
        domain.submit_entry(tw.user("owner"), {**BASE, "link": link}, topics=[topic("cybersecurity")])
    assert "link" in exc.value.message_dict
    assert not TrainingEntry.objects.filter(title="Course").exists()


def test_negative_cost_and_missing_topics_are_refused(tw):
    with pytest.raises(ValidationError) as exc:
        domain.submit_entry(tw.user("owner"), {**BASE, "cost_eur": Decimal("-1")}, topics=[])
    assert exc.value.message_dict["cost_eur"] == ["The cost cannot be negative."]
    assert exc.value.message_dict["topics"] == ["Choose at least one topic."]


def test_sessions_must_end_after_they_start(tw):
    with pytest.raises(ValidationError) as exc:
        domain.submit_entry(
            tw.user("owner"),
            BASE,
            topics=[topic("cybersecurity")],
            sessions=[(aware(date(2026, 3, 4), 12), aware(date(2026, 3, 4), 10))],
        )
    assert "must end after it starts" in " ".join(exc.value.messages)


def test_anonymous_cannot_submit(tw):
    with pytest.raises(PermissionDenied):
        domain.submit_entry(tw.user("anonymous"), BASE, topics=[topic("cybersecurity")])


def test_submissions_wait_for_moderation_and_cannot_claim_demo(tw):
    entry = domain.submit_entry(tw.user("owner"), {**BASE, "is_demo": True}, topics=[topic("cybersecurity")])
    assert (entry.status, entry.is_demo) == ("pending", False)
    domain.update_entry(tw.user("owner"), entry, {"title": "Course, revised"})
    with pytest.raises(ValidationError) as exc:
        domain.moderate_entry(tw.user("coordinator"), entry, publish=False)
    assert "why" in " ".join(exc.value.messages)
    with pytest.raises(PermissionDenied):
        domain.moderate_entry(tw.user("manager"), entry, publish=True)
    domain.moderate_entry(tw.user("coordinator"), entry, publish=True)
    assert entry.status == "published"
    with pytest.raises(PermissionDenied):  # once published, only the coordinator edits
        domain.update_entry(tw.user("owner"), entry, {"title": "Changed"})
    assert AuditEntry.objects.filter(action="training.entry.moderate", to_state="published").exists()


def test_a_changed_link_is_checked_again(tw):
    tw.entry.link_status = "dead"
    tw.entry.save()
    domain.update_entry(tw.user("coordinator"), tw.entry, {"link": "https://academy.example/nis2-new"})
    assert tw.entry.link_status == "unchecked"


def test_records_belong_to_the_cluster_staff(tw):
    outsider = Person.objects.create(first_name="Otto", last_name="Other", organisation=tw.world.org_b1)
    fields = {"status": "enrolled", "enrolled_on": date(2023, 1, 1), "completed_on": None, "notes": ""}
    with pytest.raises(ValidationError) as exc:
        domain.enrol(tw.user("manager"), tw.partner_a, outsider, tw.entry, fields)
    assert "staff of the partner cluster" in " ".join(exc.value.messages)
    with pytest.raises(PermissionDenied):
        domain.enrol(tw.user("other_manager"), tw.partner_a, tw.person_a, tw.entry, fields)
    with pytest.raises(ValidationError) as exc:
        domain.enrol(tw.user("manager"), tw.partner_a, tw.person_a, tw.entry, fields)
    assert "already recorded" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        domain.enrol(tw.user("manager"), tw.partner_a, tw.person_a, tw.pending_entry, fields)
    assert "Only published courses" in " ".join(exc.value.messages)


def test_completion_needs_a_date_after_the_enrolment(tw):
    with pytest.raises(ValidationError) as exc:
        domain.update_record(tw.user("staff"), tw.record, {"status": "completed"})
    assert "completed_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        domain.update_record(
            tw.user("staff"), tw.record, {"status": "completed", "completed_on": date(2023, 2, 1)}
        )
    pdf = SimpleUploadedFile("cert.pdf", b"%PDF-1.7 hello")
    record = domain.update_record(
        tw.user("staff"),
        tw.record,
        {"status": "completed", "completed_on": date(2023, 4, 1)},
        certificate=pdf,
    )
    assert record.certificate.name.startswith("training/certificates/")


def test_staff_trained_counts_people_once_by_first_completion(tw):
    programme = tw.world.programme
    assert kpis.staff_trained(programme) == 0
    domain.update_record(
        tw.user("staff"), tw.record, {"status": "completed", "completed_on": date(2023, 4, 1)}
    )
    second = domain.submit_entry(
        tw.user("coordinator"), {**BASE, "title": "Second"}, topics=[topic("funding")]
    )
    domain.enrol(
        tw.user("staff"),
        tw.partner_a,
        tw.person_a,
        second,
        {
            "status": "completed",
            "enrolled_on": date(2022, 1, 10),
            "completed_on": date(2022, 2, 1),
            "notes": "",
        },
    )
    bob = Person.objects.create(first_name="Bob", last_name="Staff", organisation=tw.world.cluster_a)
    domain.enrol(
        tw.user("staff"),
        tw.partner_a,
        bob,
        second,
        {"status": "dropped", "enrolled_on": date(2023, 1, 10), "completed_on": None, "notes": ""},
    )
    assert kpis.staff_trained(programme) == 1
    assert kpis.staff_trained_by_period(programme) == {"P1": 1, "P2": 0}
    assert kpis.staff_trained_by_partner(programme) == {"Cluster A": 1}


def test_course_suggestions_start_from_the_weakest_capability(tw):
    from clusterxchange.tandems import domain as tandems

    tandems.assess_capabilities(
        tw.user("staff"),
        tw.partner_a,
        tw.period_2,
        [
            tandems.Rating(topic("cybersecurity"), 1),
            tandems.Rating(topic("cluster-branding"), 5),
            tandems.Rating(topic("funding"), 3, wants_to_learn=True),
        ],
    )
    domain.submit_entry(tw.user("coordinator"), {**BASE, "title": "Funding 101"}, topics=[topic("funding")])
    domain.submit_entry(
        tw.user("coordinator"), {**BASE, "title": "Brand 101"}, topics=[topic("cluster-branding")]
    )
    suggestions = suggest_courses(tw.partner_a)
    assert [s.entry.title for s in suggestions] == ["NIS2 for cluster managers", "Funding 101"]
    assert suggestions[0].reason.startswith("Your cluster rates itself 1/5 on “Cybersecurity”")
    # a course a staff member completed is not suggested again
    domain.update_record(
        tw.user("staff"), tw.record, {"status": "completed", "completed_on": date(2023, 4, 1)}
    )
    assert [s.entry.title for s in suggest_courses(tw.partner_a)] == ["Funding 101"]


def test_course_suggestions_name_the_topic_in_the_readers_language(tw):
    """The topic column of the suggestions page stayed English on the French page (found walking the demo)."""
    from django.utils import translation

    from clusterxchange.tandems import domain as tandems

    tandems.assess_capabilities(
        tw.user("staff"), tw.partner_a, tw.period_2, [tandems.Rating(topic("cybersecurity"), 1)]
    )
    with translation.override("fr"):
        suggestions = suggest_courses(tw.partner_a)
    assert suggestions and {s.topic_name for s in suggestions} == {"Cybersécurité"}
