"""Simple baselines the engine must beat, run side by side in the harness.

`KeywordOverlapBaseline` (the baseline of record) scores a candidate by the number of distinct
words shared between what one side requests and what the other offers, in both directions
(any kinds), the way a keyword search over opportunity texts does. `CharGramTfidfBaseline` is a
plain TF-IDF over character 4-grams of requests against offers of a compatible kind (cosine,
both directions, the better one counts): no analysis beyond lower-casing, yet it bridges
inflections and cognates across languages. `ProfileSimilarityBaseline` ranks by Jaccard overlap
of all profile words ("similar profiles"), shown for context. Words are lower-cased
alphanumeric tokens minus English stop words. Ties are broken by id; the asker is never ranked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from clusterxchange.engines.matching import Direction, OpportunityKind, OrganisationProfile
from clusterxchange.engines.matching.compatibility import ANSWERING_OFFER_KINDS

_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "our",
     "the", "to", "we", "with", "you", "your", "this", "that", "offer", "looking", "need", "wanted", "seek")
)  # fmt: skip


def words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(word for text in texts for word in _WORD.findall(text.lower()) if word not in _STOP)


def _postings(word_sets: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    postings: dict[str, list[str]] = {}
    for profile_id, profile_words in word_sets.items():
        for word in profile_words:
            postings.setdefault(word, []).append(profile_id)
    return postings


def _top(
    scores: dict[str, float], asking_id: str, limit: int, allowed: Callable[[str], bool] | None
) -> list[str]:
    ranked = sorted(
        (-score, other)
        for other, score in scores.items()
        if other != asking_id and score > 0 and (allowed is None or allowed(other))
    )
    return [other for _, other in ranked[:limit]]


class KeywordOverlapBaseline:
    def __init__(self, profiles: Sequence[OrganisationProfile]) -> None:
        self.offers = {
            p.id: words(o.full_text for o in p.opportunities_of(Direction.OFFER)) for p in profiles
        }
        self.requests = {
            p.id: words(o.full_text for o in p.opportunities_of(Direction.REQUEST)) for p in profiles
        }
        self.offer_postings = _postings(self.offers)
        self.request_postings = _postings(self.requests)

    def rank(
        self, asking_id: str, limit: int = 10, allowed: Callable[[str], bool] | None = None
    ) -> list[str]:
        shared: Counter[str] = Counter()
        for word in self.requests[asking_id]:
            shared.update(self.offer_postings.get(word, ()))
        for word in self.offers[asking_id]:
            shared.update(self.request_postings.get(word, ()))
        return _top(dict(shared), asking_id, limit, allowed)


class ProfileSimilarityBaseline:
    def __init__(self, profiles: Sequence[OrganisationProfile]) -> None:
        self.words = {
            p.id: words(
                [p.description, *p.keywords, *p.technologies, *(o.full_text for o in p.opportunities)]
            )
            for p in profiles
        }
        self.postings = _postings(self.words)

    def rank(
        self, asking_id: str, limit: int = 10, allowed: Callable[[str], bool] | None = None
    ) -> list[str]:
        own = self.words[asking_id]
        shared: Counter[str] = Counter()
        for word in own:
            shared.update(self.postings.get(word, ()))
        jaccard = {other: count / len(own | self.words[other]) for other, count in shared.items()}
        return _top(jaccard, asking_id, limit, allowed)


class CharGramTfidfBaseline:
    """Cosine of TF-IDF vectors over character 4-grams, requests against offers of a compatible kind."""

    def __init__(self, profiles: Sequence[OrganisationProfile]) -> None:
        self.ids = [p.id for p in profiles]
        self.row_of = {profile_id: row for row, profile_id in enumerate(self.ids)}
        texts = {
            (direction, kind): [
                " ".join(o.full_text for o in p.opportunities if o.direction == direction and o.kind == kind)
                for p in profiles
            ]
            for direction in Direction
            for kind in OpportunityKind
        }
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
        vectorizer.fit([text for field in texts.values() for text in field if text])
        self.fields = {key: vectorizer.transform(field) for key, field in texts.items()}
        self.transposed = {key: matrix.T.tocsr() for key, matrix in self.fields.items()}

    def scores(self, asking_id: str) -> np.ndarray:
        row = self.row_of[asking_id]
        best = np.zeros(len(self.ids))
        for request_kind, offer_kinds in ANSWERING_OFFER_KINDS.items():
            for offer_kind in offer_kinds:
                for asker, other in (
                    ((Direction.REQUEST, request_kind), (Direction.OFFER, offer_kind)),
                    ((Direction.OFFER, offer_kind), (Direction.REQUEST, request_kind)),
                ):
                    query = self.fields[asker][row]
                    if query.nnz:
                        best = np.maximum(best, (query @ self.transposed[other]).toarray().ravel())
        return best

    def rank(
        self, asking_id: str, limit: int = 10, allowed: Callable[[str], bool] | None = None
    ) -> list[str]:
        scores = self.scores(asking_id)
        return _top({self.ids[row]: scores[row] for row in np.flatnonzero(scores)}, asking_id, limit, allowed)
