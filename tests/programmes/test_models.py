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
