"""The shipped catalogues: complete, compiled, and consistent with the engines' messages."""

import gettext
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from clusterxchange.core import engine_messages
from clusterxchange.engines.grants.messages import APPLIED_RULE_TEMPLATES, REASON_TEMPLATES
from clusterxchange.engines.matching.explanations import REASON_MESSAGES, ROLE_LABELS

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w+\}|</?\w+[^>]*>")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert len(po) > 1000
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(text))):
                wrong.append((source, text))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date_with_the_po_file(language):
    """Somebody who edits a .po file must run compilemessages (see docs/translations.md)."""
    path = LOCALE / language / "LC_MESSAGES"
    with open(path / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    expected = {}
    for entry in catalogue(language).translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(key, int(index))] = text
        else:
            expected[key] = entry.msgstr
    actual = {key: value for key, value in mo._catalog.items() if key != ""}
    assert actual == expected


def entry_keys(entries) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in entries if not entry.obsolete}


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (CI installs it)")
def test_every_catalogue_holds_exactly_the_texts_of_the_source(tmp_path, monkeypatch):
    """Extracts the texts as docs/translations.md says, from a copy of the package, and compares
    them with each catalogue: a new English text missing from a catalogue, or a catalogue entry whose
    text is gone from the source, fails here."""
    package = LOCALE.parent
    copy = tmp_path / "clusterxchange"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "engines"))
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=[LANGUAGES[0]],
        extensions=["html", "txt", "py", "md"],
        ignore_patterns=["engines/*", "core/static/*"],
        add_location="file",
        keep_pot=True,
        verbosity=0,
    )
    source = entry_keys(polib.pofile(str(copy / "locale" / "django.pot")))
    assert len(source) > 1000
    for language in LANGUAGES:
        shipped = entry_keys(catalogue(language))
        assert (language, sorted(source - shipped), sorted(shipped - source)) == (language, [], [])


def test_every_engine_message_is_in_the_catalogue_list():
    """`core/engine_messages.py` lists the engines' English templates for makemessages."""
    assert set(engine_messages.GRANT_REASONS) == set(REASON_TEMPLATES.values())
    # Pages write the rules that name an amount with a template of their own (the amount in the reader's format).
    page_templates = engine_messages.PAGE_TEMPLATES
    assert set(engine_messages.GRANT_APPLIED_RULES) == {
        page_templates.get(code, template) for code, template in APPLIED_RULE_TEMPLATES.items()
    }
    assert set(engine_messages.MATCHING_REASONS) == set(REASON_MESSAGES)
    assert set(engine_messages.MATCHING_ROLE_LABELS) == set(ROLE_LABELS.values())


def test_every_nace_name_is_in_the_catalogue_list():
    from clusterxchange.core.reference import nace_rows
    from clusterxchange.core.reference.nace_names import NACE_NAMES

    assert set(NACE_NAMES) == {row["name"] for row in nace_rows()}


def test_nace_names_follow_the_language(db):
    from clusterxchange.core.models import NaceCode

    agriculture = NaceCode.objects.get(code="A")
    with translation.override("de"):
        german = str(agriculture)
    assert german.startswith("A ") and german != "A Agriculture, forestry and fishing"


def test_engine_reasons_are_translated_with_their_parameters():
    from clusterxchange.engines.grants.messages import Reason, ReasonCode

    reason = Reason(ReasonCode.COUNTRY_NOT_ELIGIBLE, {"role": "host", "country": "CH"})
    assert engine_messages.engine_message(reason) == reason.message  # English: the engine's text
    with translation.override("de"):
        assert engine_messages.engine_message(reason) == (
            "Das Land CH (Gastgeberorganisation) ist in diesem Programm nicht förderfähig."
        )
    with translation.override("fr"):
        assert engine_messages.engine_message(reason) == (
            "Le pays CH (organisation d'accueil) n'est pas éligible dans ce programme."
        )
    with translation.override("de"):
        assert (
            engine_messages.translate(
                "they are {their_role}, a good fit for {your_role}",
                {"their_role": "a research organisation", "your_role": "an SME"},
            )
            == "sie sind eine Forschungseinrichtung, passend für ein KMU"
        )


@pytest.mark.parametrize(
    ("language", "date_text", "number_text"),
    [
        ("en", "27 November 2026", "1234.50"),
        ("de", "27. November 2026", "1234,50"),
        ("fr", "27 novembre 2026", "1234,50"),
        ("es", "27 de noviembre de 2026", "1234,50"),
        ("pl", "27 listopada 2026", "1234,50"),
        ("lt", "2026 m. lapkričio 27 d.", "1234,50"),
        ("bg", "27 ноември 2026\u00a0г.", "1234,50"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, date_text, number_text):
    from datetime import date
    from decimal import Decimal

    template = Template("{{ day|date }}|{{ amount|floatformat:2 }}")
    with translation.override(language):
        rendered = template.render(Context({"day": date(2026, 11, 27), "amount": Decimal("1234.5")}))
    assert rendered == f"{date_text}|{number_text}"


def test_every_model_has_a_translated_name_and_plural():
    """The admin and the pages that list records say "Programme" / "Programmes" in the reader's
    language, not Django's English guess made by adding an "s"."""
    from django.apps import apps
    from django.utils.functional import Promise

    missing = []
    for model in apps.get_app_config("core").apps.get_models():
        if not model.__module__.startswith("clusterxchange."):
            continue
        declared = model._meta.original_attrs
        for option in ("verbose_name", "verbose_name_plural"):
            if not isinstance(declared.get(option), Promise):
                missing.append(f"{model._meta.label}.{option}")
    assert missing == []
    with translation.override("de"):
        assert str(apps.get_model("programmes", "Programme")._meta.verbose_name_plural) == "Programme"
        assert str(apps.get_model("messaging", "AddressSuppression")._meta.verbose_name_plural) == (
            "gesperrte Adressen"
        )


def test_polish_addresses_the_reader_formally():
    """Polish pages say 'Państwo' to the reader; some sentences said 'Twoja', 'jesteś', 'otrzymasz' on
    the same page (an event page read 'Jesteś zarejestrowany' above 'Są Państwo zarejestrowani')."""
    informal = re.compile(r"\b(jesteś|twoj\w*|twój|otrzymasz|cię|możesz|masz|tobie|ciebie)\b", re.IGNORECASE)
    found = [
        entry.msgid
        for entry in catalogue("pl")
        if any(informal.search(text) for text in [entry.msgstr, *entry.msgstr_plural.values()])
    ]
    assert found == []
