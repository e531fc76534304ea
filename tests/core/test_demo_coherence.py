"""The demo is coherent in time: EXCITE's historical programme (2022–2024) gives the seed's figures,
and the partners' current call runs around the day the demo is built, with exchanges in every state
placed sensibly in time, upcoming missions, open applications, programme items on the right days,
and nothing planned listed as held. Loading twice adds nothing.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from clusterxchange.core.demo import load_demo
from clusterxchange.events.models import Event, ProgrammeItem, Registration
from clusterxchange.exchanges.models import Exchange, ExchangeState
from clusterxchange.news.models import NewsArticle
from clusterxchange.programmes.demo import current_call
from clusterxchange.programmes.models import KpiMeasure, Programme
from clusterxchange.reporting.measures import MEASURES, Scope
from clusterxchange.site.public import upcoming_and_recent

S = ExchangeState
NOT_BEGUN = {S.DRAFT, S.SUBMITTED, S.VALIDATED, S.MATCHED, S.AGREEMENT_SIGNED}
ENDED = {S.REPORT_SUBMITTED, S.REPORT_VALIDATED, S.PAID, S.CERTIFIED}


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"programmes", "exchanges", "events", "directory", "tandems", "training", "news", "accounts"}
    }


@pytest.mark.django_db
def test_demo_is_coherent_in_time_and_idempotent():
    load_demo()
    today = timezone.localdate()
    excite = Programme.objects.get(slug="excite")
    call = current_call()

    # EXCITE: the historical programme with the seed's figures, everything within its time.
    assert (excite.start_date.isoformat(), excite.end_date.isoformat()) == ("2022-02-01", "2024-07-31")
    september = Scope(end=excite.periods.get(name="3rd period").end_date)
    assert MEASURES[KpiMeasure.EXCHANGES].value(excite, september) == 60
    assert MEASURES[KpiMeasure.SME_EXCHANGES].value(excite, september) == 27
    outside = Exchange.objects.filter(programme=excite).exclude(
        start_date__gte=excite.start_date, end_date__lte=excite.end_date
    )
    assert not outside.exists()
    assert not Event.objects.filter(programme=excite, start_date__gt=excite.end_date).exists()

    # The current call runs around today, and its exchanges are placed sensibly in time.
    assert call.start_date < today - timedelta(days=90) and call.end_date > today + timedelta(days=90)
    exchanges = Exchange.objects.filter(programme=call)
    assert set(exchanges.values_list("state", flat=True)) == set(ExchangeState.values)
    for exchange in exchanges:
        assert call.start_date <= exchange.start_date <= exchange.end_date <= call.end_date
        if exchange.state in NOT_BEGUN:
            assert exchange.start_date > today, exchange
        elif exchange.state == S.IN_PROGRESS:
            assert exchange.start_date <= today <= exchange.end_date, exchange
        elif exchange.state in ENDED:
            assert exchange.end_date < today, exchange
        assert exchange.created_at.date() >= call.start_date - timedelta(days=1), exchange
        assert exchange.created_at <= timezone.now()
    assert exchanges.filter(state=S.SUBMITTED).exists()  # open applications

    # Missions: upcoming ones with open registrations, on the public site too.
    upcoming = Event.objects.filter(programme=call, published=True, kind="mission", start_date__gt=today)
    assert upcoming.count() >= 2
    assert Registration.objects.filter(event__in=upcoming, status="registered").exists()
    assert Event.objects.filter(programme=call, kind="mission", end_date__lt=today).exists()
    assert Programme.objects.current() == call
    home = Client().get("/").content.decode()
    assert all(event.title in home for event in upcoming.order_by("start_date")[:2])
    # The home page shows the current call's news, published by today.
    call_news = NewsArticle.objects.public().filter(programme=call)
    assert call_news.count() >= 2
    assert all(article.published_at.date() <= today for article in call_news)
    assert all(article.title in home for article in call_news)

    # "Recently held" never lists a planned event, on any programme.
    for programme in (excite, call):
        _upcoming, recent = upcoming_and_recent(programme, recent=50)
        assert all(event.end_date < today and "planned" not in event.title.lower() for event in recent)
    planned_visit = Event.objects.get(title__startswith="Study visit to GAIA")
    assert planned_visit.programme == call and planned_visit.start_date > today
    assert not planned_visit.registrations.exclude(learnings="").exists()

    # Programme items lie within their event's days; B2B meetings only on the agenda's meeting days.
    for item in ProgrammeItem.objects.select_related("event"):
        event = item.event
        local_day = timezone.localtime(item.starts_at, event.tz).date()
        assert event.start_date <= local_day <= event.end_date, item
        if item.kind == "meetings":
            assert event.sessions.filter(date=local_day).exists(), (event, item.title, local_day)
    ssd = Event.objects.get(slug="silicon-saxony-day-2023")
    meeting_days = {
        timezone.localtime(i.starts_at, ssd.tz).date() for i in ssd.programme_items.filter(kind="meetings")
    }
    assert meeting_days == set(ssd.sessions.values_list("date", flat=True))
    assert ssd.start_date not in meeting_days

    # Each organisation visits once, across both programmes.
    twice = Exchange.objects.exclude(state__in=[S.DECLINED, S.WITHDRAWN, S.CANCELLED, S.DRAFT])
    repeated = twice.values("visitor_organisation").annotate(n=Count("pk")).filter(n__gt=1)
    assert not repeated.exists()

    # Idempotent: loading again adds nothing.
    before = _counts()
    load_demo()
    assert _counts() == before


@pytest.mark.django_db
def test_demo_output_says_what_its_figures_are(capsys):
    call_command("demo", no_serve=True)
    output = capsys.readouterr().out
    assert "EXCITE exchanges carried out from the start to 30.09.2023 (the project reported 60)" in output
    assert "of which by SMEs (the project reported 27)" in output
    assert "counted by 30.09.2023" not in output
