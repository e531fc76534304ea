"""Read profiles (JSON Lines) and known good pairs (CSV): the engine's file format, used by the CLI and the harness.

profiles.jsonl, one JSON object per line:
    id (required), name, type (an OrganisationType value, default "other"), country (ISO alpha-2),
    languages, ecosystems, nace, keywords, technologies (lists of strings), size, description,
    offers and requests (lists of {"kind": "business"|"technology"|"research", "text": ..., "title": ...}).
pairs.csv, with header `profile_id,partner_id`: each row says partner_id is a good partner for
profile_id (list both directions if the relation is mutual).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from .profiles import Direction, Opportunity, OrganisationProfile


def profile_from_record(record: dict) -> OrganisationProfile:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    opportunities = []
    for direction, field in ((Direction.OFFER, "offers"), (Direction.REQUEST, "requests")):
        for item in record.get(field) or []:
            if not isinstance(item, dict):
                raise ValueError(f"{field} must be a list of {{kind, text}} objects")
            opportunities.append(
                Opportunity(item.get("kind", ""), direction, item.get("text", ""), item.get("title", ""))
            )
    return OrganisationProfile(
        id=str(record.get("id", "")),
        name=record.get("name", ""),
        organisation_type=record.get("type") or "other",
        country=record.get("country", ""),
        description=record.get("description", ""),
        keywords=record.get("keywords", ()),
        ecosystems=record.get("ecosystems", ()),
        nace_codes=record.get("nace", ()),
        technologies=record.get("technologies", ()),
        size=record.get("size") or "unknown",
        languages=record.get("languages", ()),
        opportunities=tuple(opportunities),
    )


def read_profiles(path: Path) -> list[OrganisationProfile]:
    profiles = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                profiles.append(profile_from_record(json.loads(line)))
            except (ValueError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {error}") from None
    return profiles


def read_pairs(path: Path) -> dict[str, set[str]]:
    """Known good partners of each profile id."""
    partners: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        if not reader.fieldnames or {"profile_id", "partner_id"} - set(reader.fieldnames):
            raise ValueError(f"{path}: the header must be profile_id,partner_id")
        for row in reader:
            partners[row["profile_id"].strip()].add(row["partner_id"].strip())
    return dict(partners)
