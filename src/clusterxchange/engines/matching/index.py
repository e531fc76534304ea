"""The matching index: every organisation profile as rows of sparse features, kept up to date.

Build it once from all profiles (`MatchingIndex(profiles)`), then call `upsert(profile)` when a
profile is created or changed and `remove(profile_id)` when it is deleted. Both are cheap: the
new version is appended as a new row, the old row is masked, and document frequencies are
adjusted. When the appended rows exceed `COMPACT_FRACTION` (2 %) of the index, the index compacts
itself (drops masked rows, re-measures average lengths) without re-analysing any text; a
nightly `compact()` or a full rebuild from the database is also fine.

The index is not thread-safe for writers: one process owns it (e.g. a task worker or a
per-process cache rebuilt from the database); readers may share it between writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from .profiles import Direction, OpportunityKind, OrganisationProfile, OrganisationType
from .reference import fold, parse_nace
from .semantic import EmbeddingStore, SemanticStatus, load_default_store
from .semantic_field import SemanticField
from .sparse_rows import SparseRows
from .text_field import TextField, term_counts

N_LABEL_FEATURES = 2**18
COMPACT_FRACTION = 0.02
COMPACT_MINIMUM = 1_000

ORGANISATION_TYPES: tuple[OrganisationType, ...] = tuple(OrganisationType)
OPPORTUNITY_SLOTS: tuple[tuple[OpportunityKind, Direction], ...] = tuple(
    (kind, direction) for kind in OpportunityKind for direction in Direction
)


def opportunity_field(kind: OpportunityKind, direction: Direction) -> str:
    return f"{direction.value}:{kind.value}"


CAPABILITY_FIELD = "capability"
TEXT_FIELDS: tuple[str, ...] = (
    *(opportunity_field(kind, direction) for kind, direction in OPPORTUNITY_SLOTS),
    CAPABILITY_FIELD,
)
LABEL_FAMILIES: tuple[str, ...] = ("ecosystems", "nace_divisions", "nace_sections", "languages")


def profile_texts(profile: OrganisationProfile) -> dict[str, str]:
    """The text of each field for one profile (all opportunities of one kind and direction joined)."""
    texts = dict.fromkeys(TEXT_FIELDS, "")
    for opportunity in profile.opportunities:
        name = opportunity_field(opportunity.kind, opportunity.direction)
        texts[name] = f"{texts[name]} \n {opportunity.full_text}".strip()
    texts[CAPABILITY_FIELD] = profile.capability_text
    return texts


def profile_labels(profile: OrganisationProfile) -> dict[str, tuple[str, ...]]:
    """The categorical labels of each family, normalised so that equal meanings compare equal."""
    parsed = [parse_nace(code) for code in profile.nace_codes]
    return {
        "ecosystems": tuple(dict.fromkeys(fold(ecosystem) for ecosystem in profile.ecosystems)),
        "nace_divisions": tuple(dict.fromkeys(f"{division:02d}" for _, division in parsed if division)),
        "nace_sections": tuple(dict.fromkeys(section for section, _ in parsed if section)),
        "languages": profile.languages,
    }


def label_features(labels: Iterable[str]) -> list[int]:
    return sorted({murmurhash3_32(label, positive=True) % N_LABEL_FEATURES for label in labels})


def label_rows(label_lists: list[tuple[str, ...]]) -> sp.csr_matrix:
    features = [label_features(labels) for labels in label_lists]
    indptr = np.cumsum([0, *map(len, features)])
    indices = np.fromiter((feature for row in features for feature in row), dtype=np.int32, count=indptr[-1])
    data = np.ones(indices.size, dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(features), N_LABEL_FEATURES))


def opportunity_bits(profile: OrganisationProfile) -> int:
    bits = 0
    for opportunity in profile.opportunities:
        bits |= 1 << OPPORTUNITY_SLOTS.index((opportunity.kind, opportunity.direction))
    return bits


class _Codes:
    """Stable small integers for strings (countries, owners), so filters compare integer arrays."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {"": 0}

    def code(self, value: str) -> int:
        return self._codes.setdefault(value, len(self._codes))

    @property
    def size(self) -> int:
        return len(self._codes)

    def known(self, value: str) -> int:
        """The code of `value`, or -1 if it never occurred (so it equals nothing)."""
        return self._codes.get(value, -1)


DEFAULT_EMBEDDINGS = "default"


class MatchingIndex:
    """All candidate profiles, their text fields, labels and filter attributes, by row ("slot").

    `embeddings` is the `EmbeddingStore` of the semantic part of text relevance: by default the
    process-wide store of the optional multilingual model (see `semantic`), `None` for lexical
    ranking only. `semantic_status` says which one is in use and, if lexical, why.
    """

    def __init__(
        self,
        profiles: Iterable[OrganisationProfile] = (),
        embeddings: EmbeddingStore | str | None = DEFAULT_EMBEDDINGS,
    ) -> None:
        if embeddings == DEFAULT_EMBEDDINGS:
            self.embeddings, self.semantic_status = load_default_store()
        elif embeddings is None:
            self.embeddings, self.semantic_status = (
                None,
                SemanticStatus(False, "semantic ranking is off by request"),
            )
        elif isinstance(embeddings, EmbeddingStore):
            self.embeddings = embeddings
            self.semantic_status = SemanticStatus(True, f"semantic ranking on ({embeddings.encoder.name})")
        else:
            raise ValueError(f"embeddings must be an EmbeddingStore, None or {DEFAULT_EMBEDDINGS!r}")
        self._build(list(profiles))

    def _build(self, profiles: list[OrganisationProfile]) -> None:
        unique: dict[str, OrganisationProfile] = {}
        for profile in profiles:
            if not isinstance(profile, OrganisationProfile):
                raise ValueError(f"the index takes OrganisationProfile objects, got {type(profile).__name__}")
            unique[profile.id] = profile
        ordered = list(unique.values())
        self._profiles = unique
        self._slot_ids: list[str] = [profile.id for profile in ordered]
        self._slot_of: dict[str, int] = {profile.id: slot for slot, profile in enumerate(ordered)}
        texts = [profile_texts(profile) for profile in ordered]
        self.text_fields = {name: TextField(term_counts([t[name] for t in texts])) for name in TEXT_FIELDS}
        labels = [profile_labels(profile) for profile in ordered]
        self.label_families = {
            family: SparseRows(N_LABEL_FEATURES, label_rows([label[family] for label in labels]))
            for family in LABEL_FAMILIES
        }
        self._label_counts = {family: [len(label[family]) for label in labels] for family in LABEL_FAMILIES}
        self.countries = _Codes()
        self.owners = _Codes()
        self._alive = [True] * len(ordered)
        self._type_codes = [ORGANISATION_TYPES.index(profile.organisation_type) for profile in ordered]
        self._country_codes = [self.countries.code(profile.country) for profile in ordered]
        self._owner_codes = [self.owners.code(profile.owner_id) for profile in ordered]
        self._opportunity_bits = [opportunity_bits(profile) for profile in ordered]
        self._arrays: dict[str, np.ndarray] | None = None
        self._mask_cache: tuple[frozenset[str], np.ndarray] | None = None
        self.semantic = self._semantic_field(ordered)
        self._prepare()

    def _semantic_field(self, ordered: list[OrganisationProfile]) -> SemanticField | None:
        """The embeddings of every opportunity; a model failing here leaves the index lexical, saying why."""
        if self.embeddings is None:
            return None
        try:
            return SemanticField(self.embeddings, ordered)
        except Exception as error:  # a third-party model failing must not take matching down
            self.embeddings = None
            self.semantic_status = SemanticStatus(
                False, f"semantic ranking is off: the model failed to encode ({error}); lexical ranking only"
            )
            return None

    def _append_semantic(self, profile: OrganisationProfile, slot: int) -> None:
        if self.semantic is None:
            return
        try:
            self.semantic.append(profile, slot)
        except Exception as error:  # a third-party model failing must not stop the profile being indexed
            self.semantic, self.embeddings = None, None
            self.semantic_status = SemanticStatus(
                False, f"semantic ranking is off: the model failed to encode ({error}); lexical ranking only"
            )

    def _prepare(self) -> None:
        for field in self.text_fields.values():
            field.prepare()
        for rows in self.label_families.values():
            rows.main_transposed()

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._profiles

    def __iter__(self) -> Iterator[OrganisationProfile]:
        return iter(self._profiles.values())

    def profile(self, profile_id: str) -> OrganisationProfile:
        try:
            return self._profiles[profile_id]
        except KeyError:
            raise ValueError(f"profile {profile_id!r} is not in the matching index") from None

    @property
    def slot_count(self) -> int:
        return len(self._slot_ids)

    def slot_id(self, slot: int) -> str:
        return self._slot_ids[slot]

    def slot_of(self, profile_id: str) -> int | None:
        return self._slot_of.get(profile_id)

    def arrays(self) -> dict[str, np.ndarray]:
        """Per-slot attributes as numpy arrays (cached until the next change)."""
        if self._arrays is None:
            self._arrays = {
                "alive": np.array(self._alive, dtype=bool),
                "type": np.array(self._type_codes, dtype=np.int16),
                "country": np.array(self._country_codes, dtype=np.int32),
                "owner": np.array(self._owner_codes, dtype=np.int32),
                "opportunity_bits": np.array(self._opportunity_bits, dtype=np.int16),
                **{
                    f"count:{family}": np.array(counts, dtype=np.float64)
                    for family, counts in self._label_counts.items()
                },
            }
        return self._arrays

    def slots_mask(self, profile_ids: frozenset[str]) -> np.ndarray:
        """Boolean mask of the slots of `profile_ids` (cached for the last set asked, e.g. an event's)."""
        if self._mask_cache is not None and self._mask_cache[0] is profile_ids:
            return self._mask_cache[1]
        mask = np.zeros(self.slot_count, dtype=bool)
        slots = [self._slot_of[profile_id] for profile_id in profile_ids if profile_id in self._slot_of]
        mask[slots] = True
        self._mask_cache = (profile_ids, mask)
        return mask

    def upsert(self, profile: OrganisationProfile) -> None:
        """Add a new profile or replace the stored version of a changed one."""
        if not isinstance(profile, OrganisationProfile):
            raise ValueError(f"the index takes OrganisationProfile objects, got {type(profile).__name__}")
        if profile.id in self._slot_of:
            self._mask(self._slot_of[profile.id])
        texts = profile_texts(profile)
        counts = term_counts([texts[name] for name in TEXT_FIELDS])
        for position, name in enumerate(TEXT_FIELDS):
            self.text_fields[name].append(counts[position])
        labels = profile_labels(profile)
        for family in LABEL_FAMILIES:
            self.label_families[family].append(label_rows([labels[family]]))
            self._label_counts[family].append(len(labels[family]))
        self._append_semantic(profile, len(self._slot_ids))
        self._slot_of[profile.id] = len(self._slot_ids)
        self._slot_ids.append(profile.id)
        self._profiles[profile.id] = profile
        self._alive.append(True)
        self._type_codes.append(ORGANISATION_TYPES.index(profile.organisation_type))
        self._country_codes.append(self.countries.code(profile.country))
        self._owner_codes.append(self.owners.code(profile.owner_id))
        self._opportunity_bits.append(opportunity_bits(profile))
        self._arrays = None
        self._mask_cache = None
        self._compact_if_needed()

    def remove(self, profile_id: str) -> None:
        """Delete a profile; unknown ids raise ValueError."""
        slot = self._slot_of.get(profile_id)
        if slot is None:
            raise ValueError(f"profile {profile_id!r} is not in the matching index")
        self._mask(slot)
        del self._slot_of[profile_id]
        del self._profiles[profile_id]
        self._arrays = None
        self._mask_cache = None
        self._compact_if_needed()

    def _mask(self, slot: int) -> None:
        self._alive[slot] = False
        for field in self.text_fields.values():
            field.forget(slot)

    def _compact_if_needed(self) -> None:
        appended = self.text_fields[CAPABILITY_FIELD].appended_count
        if appended > max(COMPACT_MINIMUM, COMPACT_FRACTION * self.slot_count):
            self.compact()

    def compact(self) -> None:
        """Fold appended rows into the main segment and drop masked rows (no text is re-analysed)."""
        keep = np.flatnonzero(np.array(self._alive, dtype=bool))
        self.text_fields = {name: field.compacted(keep) for name, field in self.text_fields.items()}
        self.label_families = {name: rows.compacted(keep) for name, rows in self.label_families.items()}
        if self.semantic is not None:
            self.semantic = self.semantic.compacted(keep)
        self._label_counts = {
            family: [counts[slot] for slot in keep] for family, counts in self._label_counts.items()
        }
        self._slot_ids = [self._slot_ids[slot] for slot in keep]
        self._slot_of = {profile_id: slot for slot, profile_id in enumerate(self._slot_ids)}
        self._alive = [True] * len(keep)
        self._type_codes = [self._type_codes[slot] for slot in keep]
        self._country_codes = [self._country_codes[slot] for slot in keep]
        self._owner_codes = [self._owner_codes[slot] for slot in keep]
        self._opportunity_bits = [self._opportunity_bits[slot] for slot in keep]
        self._arrays = None
        self._mask_cache = None
        self._prepare()
