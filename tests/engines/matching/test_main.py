"""The command line: suggestions from a profiles file, a one-line message on bad input."""

from pathlib import Path

from clusterxchange.engines.matching.__main__ import main

SAMPLE = Path(__file__).parents[3] / "benchmarks" / "matching" / "sample" / "profiles.jsonl"


def test_prints_ranked_explained_suggestions(capsys):
    assert main([str(SAMPLE), "p000005", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("  1. ")
    assert "both in" in " ".join(lines) or "they" in " ".join(lines)


def test_bad_input_gives_a_message_and_status_2(capsys, tmp_path):
    assert main([str(SAMPLE), "p000005", "--use", "exchange_host"]) == 2
    assert "eligible countries" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.jsonl"), "x"]) == 2
    assert main([str(SAMPLE), "nobody"]) == 2
    assert "'nobody' is not in the matching index" in capsys.readouterr().err
