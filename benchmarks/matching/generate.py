"""Generate a labelled matching set: organisation profiles with known good partners.

    python -m benchmarks.matching.generate --profiles 800 --seed 7 --out /tmp/matching-set

writes `profiles.jsonl` (one profile per line: id, name, type, country, languages, ecosystems,
nace, keywords, size, description, offers and requests as lists of {kind, text}) and `pairs.csv`
(header profile_id,partner_id; every good pair in both directions).

How the labels arise: every profile offers or requests one need (one of the three aligned
phrasings of a topic of its ecosystem, see `topics.py`); some offer a second need of the same
topic, request a need of another topic, or offer their own products. A pair is good when one
side requests a need that an offer of the other answers (`topics.answering_offers`: judged per
topic, often more than one offer of the topic); other providers of the same topic are
deliberately close but wrong. The seeker's
text names the problem, the provider's the method, so a good pair shares few exact words; about
a third of the profiles write in their own language where the topic has such a phrasing. Profiles of the same ecosystem share boiler-plate sentences, which is
what misleads plain keyword overlap.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import defaultdict
from pathlib import Path

from .topics import ECOSYSTEM_PROFILES, TOPICS, Topic, answering_offers

COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "DE": ("de",), "AT": ("de",), "FR": ("fr",), "BE": ("fr", "nl"), "ES": ("es", "ca"), "PL": ("pl",),
    "LT": ("lt",), "BG": ("bg",), "IT": ("it",), "NL": ("nl",), "PT": ("pt",), "CZ": ("cs",),
    "SE": ("sv",), "FI": ("fi",), "DK": ("da",), "IE": ("en",), "GR": ("el",), "HU": ("hu",),
    "RO": ("ro",), "SK": ("sk",), "SI": ("sl",), "HR": ("hr",), "EE": ("et",), "LV": ("lv",),
    "NO": ("no",), "TR": ("tr",), "UA": ("uk",),
}  # fmt: skip
COUNTRIES = tuple(COUNTRY_LANGUAGES)

OFFER_INTROS = ("We offer", "Our expertise:", "We provide", "Services:", "We have long experience in", "")
REQUEST_INTROS = ("We are looking for", "Wanted:", "We need", "We seek a partner for", "Looking for", "")
NAME_STARTS = (
    "Nord",
    "Sud",
    "Alp",
    "Rhein",
    "Baltic",
    "Iber",
    "Danu",
    "Vist",
    "Medi",
    "Atlant",
    "Carpat",
    "Elb",
)
NAME_ENDS = ("tech", "works", "lab", "systems", "solutions", "tronic", "gen", "wave", "craft", "logic")
LEGAL_FORMS = ("GmbH", "SAS", "S.L.", "Sp. z o.o.", "UAB", "OOD", "S.r.l.", "B.V.", "Ltd", "AB")
OFFERER_TYPES = (("sme", 60), ("large_company", 10), ("scale_up_support", 10), ("research_organisation", 15),
                 ("cluster_organisation", 5))  # fmt: skip
RESEARCH_OFFERER_TYPES = (("research_organisation", 50), ("sme", 35), ("scale_up_support", 15))
REQUESTER_TYPES = (
    ("sme", 70),
    ("large_company", 15),
    ("research_organisation", 10),
    ("cluster_organisation", 5),
)
SIZES = ("micro", "small", "medium", "large")
FOREIGN_TEXT_SHARE = 0.35
SECOND_REQUEST_SHARE = 0.3
SECOND_OFFER_SHARE = 0.25
PRODUCT_OFFER_SHARE = 0.4
SECOND_ECOSYSTEM_SHARE = 0.3


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _sentence(intro: str, phrase: str) -> str:
    text = f"{intro} {phrase}" if intro else phrase[:1].upper() + phrase[1:]
    return text.strip() + "."


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.offerers: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.requesters: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.topics_by_ecosystem: dict[str, list[Topic]] = defaultdict(list)
        for topic in TOPICS:
            self.topics_by_ecosystem[topic.ecosystem].append(topic)

    def _text(self, topic: Topic, need: int, offering: bool, language: str) -> str:
        foreign = topic.foreign_offers if offering else topic.foreign_requests
        if need == 0 and foreign and language in foreign:
            return foreign[language] + "."
        phrases = topic.offers if offering else topic.requests
        intros = OFFER_INTROS if offering else REQUEST_INTROS
        return _sentence(self.rng.choice(intros), phrases[need])

    def profile(self, number: int) -> dict:
        rng = self.rng
        topic = rng.choice(TOPICS)
        need = rng.randrange(len(topic.offers))
        offering = rng.random() < 0.5
        country = rng.choice(COUNTRIES)
        native = COUNTRY_LANGUAGES[country]
        languages = list(native[:1])
        if rng.random() < 0.85 and "en" not in languages:
            languages.append("en")
        if rng.random() < 0.2:
            languages.append(rng.choice(("de", "fr", "es", "it")))
        writing = native[0] if rng.random() < FOREIGN_TEXT_SHARE else "en"
        profile_id = f"p{number:06d}"
        ecosystems = [topic.ecosystem]
        if rng.random() < SECOND_ECOSYSTEM_SHARE:
            ecosystems.append(rng.choice(sorted(ECOSYSTEM_PROFILES)))
        sentences, products, nace = ECOSYSTEM_PROFILES[topic.ecosystem]
        offers: list[dict[str, str]] = []
        requests: list[dict[str, str]] = []
        if offering:
            kinds = RESEARCH_OFFERER_TYPES if topic.kind == "research" else OFFERER_TYPES
            organisation_type = _weighted(rng, kinds)
            kind = rng.choice(("technology", "research")) if topic.kind == "research" else topic.kind
            offers.append({"kind": kind, "text": self._text(topic, need, True, writing)})
            self.offerers[topic.key, need].append(profile_id)
            if rng.random() < SECOND_OFFER_SHARE:
                second = (need + 1) % len(topic.offers)
                offers.append({"kind": kind, "text": self._text(topic, second, True, writing)})
                self.offerers[topic.key, second].append(profile_id)
            description = " ".join(
                (
                    f"We specialise in {rng.choice(topic.offers)}.",
                    rng.choice(sentences),
                    f"Main market: {topic.ecosystem}.",
                )
            )
            nace_codes = list(rng.sample(topic.nace, k=rng.randint(1, len(topic.nace))))
            keywords = [topic.key.replace("-", " ")]
            if rng.random() < SECOND_REQUEST_SHARE:
                other = rng.choice(TOPICS)
                other_need = rng.randrange(len(other.requests))
                requests.append({"kind": other.kind, "text": self._text(other, other_need, False, writing)})
                self.requesters[other.key, other_need].append(profile_id)
        else:
            organisation_type = _weighted(rng, REQUESTER_TYPES)
            requests.append({"kind": topic.kind, "text": self._text(topic, need, False, writing)})
            self.requesters[topic.key, need].append(profile_id)
            product = rng.choice(products)
            description = " ".join(
                (rng.choice(sentences), f"Our products: {product}.", rng.choice(sentences))
            )
            nace_codes = list(nace)
            keywords = [product]
            if rng.random() < PRODUCT_OFFER_SHARE:
                offers.append(
                    {"kind": "business", "text": f"We offer {product} to distributors and customers."}
                )
        name = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)} {rng.choice(LEGAL_FORMS)}"
        return {
            "id": profile_id,
            "name": name,
            "type": organisation_type,
            "country": country,
            "languages": languages,
            "ecosystems": list(dict.fromkeys(ecosystems)),
            "nace": nace_codes,
            "keywords": keywords,
            "size": "large" if organisation_type == "large_company" else rng.choice(SIZES[:3]),
            "description": description,
            "offers": offers,
            "requests": requests,
        }

    def good_pairs(self) -> list[tuple[str, str]]:
        topics = {topic.key: topic for topic in TOPICS}
        pairs = set()
        for (key, need), requesters in self.requesters.items():
            offerers = {
                offerer
                for answer in answering_offers(topics[key], need)
                for offerer in self.offerers.get((key, answer), ())
            }
            for requester in requesters:
                for offerer in offerers - {requester}:
                    pairs.add((requester, offerer))
                    pairs.add((offerer, requester))
        return sorted(pairs)


def generate(count: int, seed: int, with_pairs: bool = True) -> tuple[list[dict], list[tuple[str, str]]]:
    """`count` profiles and their good pairs, identical for identical (count, seed).

    The number of good pairs grows with the square of `count`; the scale benchmark skips them.
    """
    generator = _Generator(seed)
    profiles = [generator.profile(number) for number in range(count)]
    return profiles, generator.good_pairs() if with_pairs else []


def write(profiles: list[dict], pairs: list[tuple[str, str]], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    profiles_path, pairs_path = folder / "profiles.jsonl", folder / "pairs.csv"
    with profiles_path.open("w", encoding="utf-8") as stream:
        for profile in profiles:
            stream.write(json.dumps(profile, ensure_ascii=False) + "\n")
    with pairs_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("profile_id", "partner_id"))
        writer.writerows(pairs)
    return profiles_path, pairs_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=800)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    profiles, pairs = generate(args.profiles, args.seed)
    profiles_path, pairs_path = write(profiles, pairs, args.out)
    print(f"wrote {len(profiles)} profiles to {profiles_path} and {len(pairs)} good pairs to {pairs_path}")


if __name__ == "__main__":
    main()
