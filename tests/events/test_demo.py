"""The events part of the demo: EXCITE's missions with their real dates, the study visits, and the
Silicon Saxony Day B2B session with ~120 participants, requests and (with the engine) an agenda.
The current call's events (dated around today) are checked in tests/core/test_demo_coherence.py."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import load_demo
from clusterxchange.events import questions
from clusterxchange.events.demo import session_around
from clusterxchange.events.hybrid import video_link
from clusterxchange.events.models import Event, Meeting, MeetingRequest, Registration


@pytest.mark.django_db
def test_demo_events():
    load_demo()
    missions = {
        e.title: e for e in Event.objects.filter(programme__slug="excite").exclude(kind="study_visit")
    }
    assert len(missions) == 8
    dates = {title: (e.start_date, e.end_date, e.city) for title, e in missions.items()}
    assert dates["Smart Mobility Mission to Sophia Antipolis"] == (
        date(2022, 10, 11),
        date(2022, 10, 14),
        "Sophia Antipolis",
    )
    assert dates["B2B Matchmaking Mission to SEMICON Europa"] == (
        date(2022, 11, 15),
        date(2022, 11, 17),
        "Munich",
    )
    assert dates["French Automotive CXC Mission to Germany"][:2] == (date(2022, 11, 29), date(2022, 12, 1))
    assert dates["Portuguese stakeholders to the Basque Country"][:2] == (date(2023, 1, 30), date(2023, 2, 2))
    assert dates["apc|m & SSI conference, Bruges"] == (date(2023, 3, 28), date(2023, 3, 30), "Bruges")
    assert dates["Silicon Saxony Day, Dresden"] == (date(2023, 6, 20), date(2023, 6, 22), "Dresden")
    assert dates["Flexible Electronics – Fascination with a Future"][:2] == (
        date(2023, 6, 26),
        date(2023, 6, 30),
    )
    barcelona = missions["DTI mission of Bulgarian companies to Barcelona"]
    assert (barcelona.start_date, barcelona.end_date) == (date(2023, 2, 27), date(2023, 3, 3))
    assert "27.02. – 03.02.2023" in barcelona.note
    visits = set(Event.objects.filter(kind="study_visit").values_list("programme__slug", "city"))
    # The visit to Bilbao that EXCITE had planned takes place in the current call.
    assert visits == {("excite", "Sophia Antipolis"), ("excite", "Dresden"), ("excite-next", "Bilbao")}

    session = Event.objects.get(slug="silicon-saxony-day-2023")
    assert session.kind == "b2b"
    validated = session.registrations.filter(status=Registration.Status.VALIDATED)
    assert 110 <= validated.count() <= 130
    assert validated.filter(user__email="member.sme@excite.example").exists()
    assert MeetingRequest.objects.filter(event=session).count() > 200
    meetings = Meeting.objects.filter(event=session, status="active")
    assert meetings.count() > 150
    # Its registration questions, answered by every participant, and who may meet whom.
    topics, dinner = session.questions.all()
    assert (topics.kind, dinner.kind) == ("multiple", "yes_no") and topics.required and dinner.required
    assert (
        topics.answers.count()
        == dinner.answers.count()
        == session.registrations.filter(participant_type__isnull=False).count()
    )
    assert set(dinner.answers.values_list("value", flat=True)) == {"yes", "no"}
    assert questions.answered(validated, topics, "Software").exists()
    provider, user = session.participant_types.all()
    assert questions.allowed_pairs(session.pk) == {frozenset({provider.pk, user.pk}), frozenset({user.pk})}
    assert validated.filter(participant_type=provider).exists()
    assert not validated.filter(user__isnull=False).exclude(participant_type=user).exists()
    assert not MeetingRequest.objects.filter(
        event=session, requester__participant_type=provider, recipient__participant_type=provider
    ).exists()
    if session.agenda:  # scheduled by the engine
        assert session.agenda == "final"
        assert meetings.filter(published_slot__isnull=False).count() >= 0.9 * meetings.count()
        # The event day: most checked in on the first morning, a few never came; the first morning's
        # meetings are marked by the organiser, some as no-shows (those of the absent).
        checked_in = validated.filter(checked_in_at__isnull=False)
        assert 0.8 * validated.count() <= checked_in.count() < validated.count()
        assert checked_in.filter(user__email="member.sme@excite.example").exists()
        assert meetings.filter(attendance="held").exists() and meetings.filter(attendance="no_show").exists()
        held = meetings.held().with_held_source()
        assert {m.held_source for m in held} == {"organiser", "participants"}
        # One meeting of a demo login is online, in its room on the programme's Jitsi Meet server.
        [online] = meetings.filter(online=True).select_related("published_slot__session", "event__programme")
        assert online.first.user_id is not None
        assert video_link(online, online.published_slot) == f"https://meet.jit.si/{online.video_room}"

    # Coherent programme days (#18 point 10): the B2B sessions are the days of "Pre-arranged B2B
    # meetings" in the programme, no conference item overlaps a session, and every meeting is on one of
    # those days.
    tz = session.tz
    items = list(session.programme_items.all())
    sessions = list(session.sessions.all())
    windows = [
        (datetime.combine(s.date, s.start_time, tzinfo=tz), datetime.combine(s.date, s.end_time, tzinfo=tz))
        for s in sessions
    ]
    meeting_items = {(i.starts_at, i.ends_at) for i in items if i.kind == "meetings"}
    assert meeting_items == set(windows)
    for item in items:
        if item.kind != "meetings":
            assert all(item.ends_at <= start or item.starts_at >= end for start, end in windows), item.title
    session_days = {s.date for s in sessions}
    assert {
        m.slot.starts_at.astimezone(tz).date() for m in meetings.filter(slot__isnull=False)
    } <= session_days
    # The crowd checked in on the first day of meetings, before the first slot; the absent have none.
    first = min(start for start, _end in windows)
    arrivals = set(validated.filter(checked_in_at__isnull=False).values_list("checked_in_at", flat=True))
    assert arrivals and all(a.astimezone(tz).date() == first.date() for a in arrivals)
    assert all(a < first + timedelta(hours=1) for a in arrivals)

    before = Event.objects.count()
    load_demo()
    assert Event.objects.count() == before


def test_every_demo_event_has_a_city_in_its_city_field():
    """Two of EXCITE's missions had "Germany" and "Basque Country" as their city (the source names no
    city): the city field holds the host's city, and the note says the source named the country or
    region only."""
    from django_countries import countries

    from clusterxchange.directory.demo_content import CITIES, PARTNER_CLUSTERS
    from clusterxchange.events.demo import MISSIONS, STUDY_VISITS, call_b2b_event, call_events

    today = date(2026, 12, 7)
    current_missions, current_visits = call_events(today, today - timedelta(days=200))
    specs = [*MISSIONS, *STUDY_VISITS, *current_missions, *current_visits, call_b2b_event(today)]
    country_names = {str(name) for _code, name in countries}
    regions = {spec["region"] for spec in PARTNER_CLUSTERS} | {
        region for places in CITIES.values() for _city, region, *_where in places
    }
    assert [s["city"] for s in specs if s["city"] in country_names | regions] == []
    by_title = {spec["title"]: spec for spec in specs}
    assert by_title["French Automotive CXC Mission to Germany"]["city"] == "Dresden"
    assert by_title["Portuguese stakeholders to the Basque Country"]["city"] == "Donostia-San Sebastián"


@pytest.mark.django_db
def test_the_demo_holds_a_b2b_day_today_to_try_the_event_day():
    """A newcomer tries the event day on the demo without editing dates (newcomer walk): the current
    call's B2B day runs today, the demo logins have published meetings today, the home page leads to
    their agenda and the organiser (manager.scs@, Pôle SCS hosts it) to today's meeting grid, with the
    meetings already over marked and those still ahead open."""
    load_demo()
    now = timezone.now()
    b2b_today = [
        event
        for event in Event.objects.filter(kind="b2b", published=True, programme__slug="excite-next")
        if event.start_date <= timezone.localtime(now, event.tz).date() <= event.end_date
    ]
    assert len(b2b_today) == 1
    [event] = b2b_today
    today = timezone.localtime(now, event.tz).date()
    assert event.agenda == "final" and event.agenda_published_at < now
    assert event.host_cluster.user_memberships.filter(
        user__email="manager.scs@excite.example", role="manager"
    )
    published = Meeting.objects.filter(event=event, status="active", published_slot__isnull=False)
    for email in ("member.sme@excite.example", "member.gaia@excite.example"):
        assert event.registrations.filter(user__email=email, status=Registration.Status.VALIDATED).exists()
        mine = published.filter(Q(first__user__email=email) | Q(second__user__email=email))
        assert any(timezone.localtime(m.published_slot.starts_at, event.tz).date() == today for m in mine)
    # Past and future slots today; only meetings already over are marked; check-ins only so far.
    todays = published.filter(published_slot__session__date=today)
    assert todays.filter(published_slot__ends_at__lte=now).exists()
    assert todays.filter(published_slot__starts_at__gt=now).exists()
    assert not published.filter(attendance__isnull=False, published_slot__ends_at__gt=now).exclude(
        attendance=""
    )
    assert todays.filter(attendance="held").exists()
    checked_in = event.registrations.filter(checked_in_at__isnull=False)
    assert checked_in.exists() and not checked_in.filter(checked_in_at__gt=now).exists()

    client = Client()
    client.force_login(User.objects.get(email="member.sme@excite.example"))
    home = client.get(reverse("home")).content.decode()
    box = home.split('id="today-box"')[1].split("</section>")[0]
    assert event.title in box and f'href="{reverse("events:agenda", args=[event.slug])}"' in box
    agenda = client.get(reverse("events:agenda", args=[event.slug]))
    assert agenda.status_code == 200

    client.force_login(User.objects.get(email="manager.scs@excite.example"))
    box = client.get(reverse("home")).content.decode().split('id="today-box"')[1].split("</section>")[0]
    grid_url = reverse("events:grid", args=[event.slug])
    assert f'href="{grid_url}"' in box
    grid = client.get(grid_url)
    assert grid.status_code == 200
    assert grid.context["plan"].day == today
    assert "attendance-held" in grid.content.decode()


@pytest.mark.parametrize(
    ("built_at", "session"),
    [
        (time(10, 15), (time(8, 0), time(12, 0))),
        (time(7, 0), (time(5, 0), time(9, 0))),
        (time(22, 0), (time(20, 0), time(23, 59))),
        (time(0, 40), (time(0, 0), time(4, 0))),
        (time(23, 40), (time(20, 0), time(23, 59))),
    ],
)
def test_todays_session_has_slots_held_and_ahead_whenever_the_demo_is_built(built_at, session):
    assert session_around(datetime.combine(date(2026, 12, 7), built_at)) == session
