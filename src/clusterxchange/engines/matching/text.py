"""Text analysis shared by indexing, querying and explanations.

Offers and requests describe the same thing in different words ("we test power electronics" /
"testing of power-electronic modules"), often in different European languages. Full
lemmatisation per language is heavy; instead every word is reduced to a short *key*:

1. case and accents folded ("Électronique" -> "electronique"),
2. stop words of six languages and cooperation boiler-plate ("we offer", "looking for") removed,
3. one common suffix stripped (-ing, -ation, -ics, -ungen, -cion, ...),
4. a few spelling variants folded (k->c, ph->f, y->i, th->t, z->s) so cognates meet
   ("Elektronik"/"electronics", "fotovoltaica"/"photovoltaic", "digitalization"/"digitalisation"),
5. truncated to six characters.

Steps 3 and 5 are *truncation stemming*, which McNamee and Mayfield found as effective as
language-specific stemmers across European languages (Information Retrieval 12, 2009).
The keys are only ever compared with each other; texts shown to users always quote the
original words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .reference import fold

KEY_LENGTH = 6
MIN_STEM_LENGTH = 4

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "izations", "isations", "ization", "isation", "ations", "ation", "itions", "ition",
            "ements", "ement", "ments", "ment", "ings", "ing", "ness", "ities", "ity", "ical",
            "ically", "ally", "ics", "ic", "ies", "ied", "ers", "er", "ed", "es", "s", "ungen",
            "ung", "ions", "ion", "ciones", "cion", "al", "ive", "ique", "iques", "ismo", "ismus",
            "ieren", "iert", "en", "e", "a", "o", "y",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip

_SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("th", "t"),
    ("k", "c"),
    ("y", "i"),
    ("z", "s"),
)

_STOP_WORD_LIST = """
    a about above after again all also an and any are as at be been being both but by can could do
    does during each either for from further had has have having here how i if in into is it its
    itself just more most my no nor not of off on once only or other our ours out over own same she
    should so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with within
    without would you your us via per etc new based well e g ie eg
    offer offers offering offered provide provides providing provided request requests requested
    looking look seek seeks seeking search searching need needs needed want wants wish require
    requires required interested interest partner partners partnership company companies firm
    firms organisation organisations organization organizations sme smes cooperation cooperate
    collaboration collaborate agreement agreements opportunity opportunities able support
    supports help helps find finding develop developing solution solutions service services
    der die das den dem des ein eine einen einem einer und oder mit fur von zu im in ist sind wir
    unser unsere auf bei aus als auch nach suchen bieten
    le la les un une des du de et ou avec pour dans sur par nous notre nos est sont au aux
    recherche cherchons proposons offre
    el los las una unos unas y o con para por en del al es son nosotros nuestra nuestro
    buscamos ofrecemos
    il lo gli uno e con per nel della delle dei che sono noi nostra nostro cerchiamo offriamo
    i w z na do od dla jest sa oraz lub nasza nasz szukamy oferujemy
"""
STOP_WORDS: frozenset[str] = frozenset(fold(word) for word in _STOP_WORD_LIST.split())


@lru_cache(maxsize=500_000)
def word_key(folded_word: str) -> str:
    """Key of one already folded word, or '' for a stop word or a one-letter word."""
    if len(folded_word) < 2 or folded_word in STOP_WORDS:
        return ""
    if folded_word.isdigit():
        return folded_word if len(folded_word) >= 2 else ""
    stem = folded_word
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM_LENGTH:
            stem = stem[: -len(suffix)]
            break
    for variant, replacement in _SPELLING_VARIANTS:
        stem = stem.replace(variant, replacement)
    return stem[:KEY_LENGTH]


def analyse(text: str) -> list[str]:
    """The keys of a text, in order, stop words dropped: the index's and the query's terms."""
    keys = []
    for word in _WORD.findall(fold(text)):
        key = word_key(word)
        if key:
            keys.append(key)
    return keys


@lru_cache(maxsize=200_000)
def key_set(text: str) -> frozenset[str]:
    """The distinct keys of a text (cached: explanations ask for the same texts again and again)."""
    return frozenset(analyse(text))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each original word of `text` ('' key for stop words), for quoting."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), word_key(fold(match.group(0)))
