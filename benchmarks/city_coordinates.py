"""Time and memory of the city coordinates (`engines.places`; docs/benchmarks.md, "Session 12 — city
coordinates"): building the derived index once, then lookups in a process that finds it built.

    PYTHONPATH=src python benchmarks/city_coordinates.py
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clusterxchange.engines import places

SAMPLE = [
    ("Dresden", "DE"),
    ("Nice", "FR"),
    ("Vilnius", "LT"),
    ("Bilbao", "ES"),
    ("Warszawa", "PL"),
    ("Plovdiv", "BG"),
    ("München", "DE"),
    ("saint-étienne", "FR"),
    ("KRAKÓW", "PL"),
    ("Nowhere-on-Sea", "GB"),
]


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: not inherited across exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(directory: Path) -> None:
    index = places.CityIndex(directory)
    started = time.perf_counter()
    index.coordinates("Dresden", "DE")
    print(
        f"first lookup ever (builds the index): {time.perf_counter() - started:.1f} s, peak RSS {peak_rss_mb():.0f} MB"
    )
    print(f"index file: {index.path.stat().st_size / 2**20:.1f} MB")


def lookups(directory: Path) -> None:
    before = peak_rss_mb()
    index = places.CityIndex(directory)
    started = time.perf_counter()
    index.coordinates("Dresden", "DE")
    print(f"first lookup in a new process: {(time.perf_counter() - started) * 1000:.1f} ms")
    rounds = 500
    started = time.perf_counter()
    for _ in range(rounds):
        for city, country in SAMPLE:
            index.coordinates(city, country)
    per_lookup = (time.perf_counter() - started) / (rounds * len(SAMPLE))
    print(
        f"next lookups: {per_lookup * 1e6:.0f} µs each; peak RSS {before:.0f} MB before, {peak_rss_mb():.0f} MB after"
    )
    for city, country in SAMPLE:
        print(f"  {city}, {country}: {index.coordinates(city, country)}")


def main() -> None:
    if sys.argv[1:2] == ["--lookups"]:
        lookups(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as directory:
        build(Path(directory))
        subprocess.run([sys.executable, __file__, "--lookups", directory], check=True)


if __name__ == "__main__":
    main()
