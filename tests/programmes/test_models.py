from datetime import date

from clusterxchange.programmes.models import Programme


def programme(acronym: str, start: date) -> Programme:
    return Programme.objects.create(
        name=acronym, acronym=acronym, slug=acronym.lower(), start_date=start, end_date=date(2030, 1, 1)
    )


def test_the_current_programme_is_the_one_that_started_last(db):
    assert Programme.objects.current() is None
    programme("LATER", date(2024, 1, 1))
    programme("EARLIER", date(2022, 1, 1))
    assert Programme.objects.current().acronym == "LATER"
    # Of two that started the same day, the newest.
    programme("TWIN", date(2024, 1, 1))
    assert Programme.objects.current().acronym == "TWIN"
    assert Programme.objects.filter(acronym__in=["EARLIER", "LATER"]).current().acronym == "LATER"


def test_a_programme_set_up_ahead_is_not_current_before_it_starts(db):
    """The coordinator sets up the next call in advance: the running programme stays the current one
    (home, public site, header) until the new one starts; with none started, the next to start."""
    programme("LATER", date(2027, 1, 1))
    programme("SOONER", date(2026, 9, 1))
    assert Programme.objects.current().acronym == "SOONER"  # tests run on 2026-06-10
    programme("RUNNING", date(2025, 1, 1))
    assert Programme.objects.current().acronym == "RUNNING"
    # One that started later but has ended is not the current one.
    Programme.objects.create(
        name="Ended", acronym="ENDED", slug="ended", start_date=date(2026, 1, 1), end_date=date(2026, 5, 31)
    )
    assert Programme.objects.current().acronym == "RUNNING"
