"""Translators get whole sentences: no text is glued from translated pieces (docs/translations.md)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from clusterxchange.core.domain import Refused
from clusterxchange.exchanges import lifecycle
from clusterxchange.exchanges.domain import _refuse_state
from clusterxchange.exchanges.models import Exchange, ExchangeState

PACKAGE = Path(settings.LOCALE_PATHS[0]).parent
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# A text ending with a connecting word is the first piece of a sentence that the page finishes...
PIECE = re.compile(
    r'\{% translate "([^"]*\b(?:as|the|at|of|to|for|from|with|and|or|a|an|that))"(?: context "[^"]*")? %\}'
)
# ...unless it is the whole label of a table header, a term or a form field ("Member of", "Starts with").
LABEL_END = ("</th>", "</dt>", "</label>")
GLUED = re.compile(
    r"\b(?:gettext|pgettext|ngettext|_)\([^()]*\)\s*(?:%\s*\{[^}]*\}\s*)?\+|\+=?\s*(?:gettext|pgettext|_)\("
)


def test_no_template_translates_the_first_piece_of_a_sentence():
    pieces = []
    for path in (PACKAGE / "templates").rglob("*.*"):
        text = path.read_text()
        pieces += [
            (path.name, match.group(1))
            for match in PIECE.finditer(text)
            if not text.startswith(LABEL_END, match.end())
        ]
    assert pieces == []


def test_no_code_glues_translated_texts_together():
    glued = []
    for path in PACKAGE.rglob("*.py"):
        if "engines" in path.parts or "migrations" in path.parts:
            continue
        glued += [
            f"{path.name}:{number}"
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if GLUED.search(line)
        ]
    assert glued == []


KNOWN_PIECES = [
    "Use a token as",
    "with the",
    "completed an exchange at",
    "Check this certificate at",
    "and give them this reference: <code>%(reference)s</code>",
    "sign the agreement of",
    "ask a host for",
    "the visitor, the host or the partnership",
    "a coordinator of your programme revoked it",
    "for the account %(email)s",
    "the course level (%(level)s) fits",
    "Example to",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pieces_that_were_glued_are_gone_from_the_catalogue(language):
    po = polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in po if entry.msgid in KNOWN_PIECES] == []


def test_every_exchange_action_is_named_as_a_whole_label():
    """The refusal quotes the action's own label ("Write the report"), never an English verb fragment."""
    names = [str(step.name) for step in lifecycle.STEPS.values()] + [
        str(transition.label) for transition in lifecycle.TRANSITIONS.values()
    ]
    assert [name for name in names if not name[0].isupper()] == []
    exchange = Exchange(state=ExchangeState.DRAFT)
    with translation.override("de"), pytest.raises(Refused) as refused:
        _refuse_state(exchange, str(lifecycle.STEPS["write_report"].name), {ExchangeState.IN_PROGRESS})
    assert str(refused.value.reasons[0]) == (
        "„Bericht schreiben“ ist nicht möglich, solange der Austausch im Status „Entwurf“ ist; "
        "möglich ist es im Status: Laufend."
    )
