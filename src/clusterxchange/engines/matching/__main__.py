"""Suggestions from files, without a database.

    python -m clusterxchange.engines.matching profiles.jsonl ASKING_ID [--use exchange_host]
        [--eligible DE,FR,ES] [--participants ID,ID,...] [--limit 10]

Profiles are read in the JSON Lines format of `dataset.py`; the suggestions are printed with
their score and reasons. Exit status 2 with a one-line message on bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import read_profiles
from .engine import suggest
from .index import MatchingIndex
from .policy import MatchingContext, MatchingUse


def _ids(value: str | None) -> frozenset[str] | None:
    return None if value is None else frozenset(item.strip() for item in value.split(",") if item.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clusterxchange.engines.matching", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("profiles", type=Path, help="profiles.jsonl")
    parser.add_argument("asking_id", help="id of the profile asking for suggestions")
    parser.add_argument(
        "--use", default=MatchingUse.PARTNER_SEARCH.value, choices=[use.value for use in MatchingUse]
    )
    parser.add_argument("--eligible", help="comma-separated eligible country codes (exchange host search)")
    parser.add_argument("--participants", help="comma-separated validated participant ids (event meetings)")
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    try:
        index = MatchingIndex(read_profiles(args.profiles))
        context = MatchingContext(
            eligible_countries=_ids(args.eligible), participant_ids=_ids(args.participants)
        )
        suggestions = suggest(index, args.asking_id, args.use, context, args.limit)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for suggestion in suggestions:
        name = index.profile(suggestion.candidate_id).name
        print(
            f"{suggestion.rank:>3}. {suggestion.candidate_id} {name} ({suggestion.score:.3f}): {'; '.join(suggestion.reason_texts)}"
        )
    if not suggestions:
        print("no candidate passes the filters of this use")
    return 0


if __name__ == "__main__":
    sys.exit(main())
