"""Bulgarian dates: lower-case months (formats/locale/bg corrects Django's catalogue) and no American
fallback for date-times (Django's own bg formats leave them unset)."""

import gettext
from datetime import date, datetime
from pathlib import Path

import polib
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

CORRECTIONS = Path(settings.LOCALE_PATHS[1]) / "bg" / "LC_MESSAGES"


def render(text: str, **values) -> str:
    with translation.override("bg"):
        return Template(text).render(Context(values))


def test_dates_and_times_are_written_the_bulgarian_way():
    moment = datetime(2026, 5, 4, 9, 5)
    assert render("{{ d|date }}", d=date(2026, 5, 4)) == "4 май 2026\u00a0г."
    assert render("{{ d|date:'DATETIME_FORMAT' }}", d=moment) == "4 май 2026\u00a0г., 09:05"
    assert render("{{ d|date:'SHORT_DATETIME_FORMAT' }}", d=moment) == "04.05.2026 09:05"
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=moment) == "04.05.2026"
    assert render("{{ d|date:'YEAR_MONTH_FORMAT' }}", d=moment) == "май 2026\u00a0г."
    assert render("{{ d|date:'E' }}", d=date(2026, 1, 1)) == "януари"


def test_the_corrections_leave_other_languages_alone():
    with translation.override("de"):
        assert Template("{{ d|date }}").render(Context({"d": date(2026, 11, 27)})) == "27. November 2026"


def test_compiled_corrections_match_the_po_file():
    po = polib.pofile(str(CORRECTIONS / "django.po"))
    with open(CORRECTIONS / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    expected = {
        (f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid): e.msgstr for e in po.translated_entries()
    }
    assert {key: value for key, value in mo._catalog.items() if key != ""} == expected
    assert len(expected) == 24
