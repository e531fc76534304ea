"""benchmarks/scheduling/bench_bounds: the comparison counts the participants whose bound changed."""

import json

from benchmarks.scheduling.bench_bounds import compare


def test_compare_lists_raised_bounds_and_the_phase_cpu(tmp_path, capsys):
    before = tmp_path / "before.jsonl"
    after = tmp_path / "after.jsonl"
    before.write_text(
        json.dumps({"item": "a/original", "sum": 1, "cpu": 1.0, "bounds": [1, 0, 0]})
        + "\n"
        + json.dumps({"item": "b/prec15", "sum": 0, "cpu": 0.5, "bounds": [0]})
        + "\n"
    )
    after.write_text(
        json.dumps({"item": "a/original", "sum": 4, "cpu": 0.25, "bounds": [1, 2, 1]})
        + "\n"
        + json.dumps({"item": "b/prec15", "sum": 0, "cpu": 0.5, "bounds": [0]})
        + "\n"
    )
    compare(str(before), str(after))
    out = capsys.readouterr().out
    assert "| a/original | 1 | 4 | 2 | 1.00 | 0.25 |" in out
    assert "b/prec15" not in out
    assert "2 items; participants raised 2, lowered 0; CPU of the phase in all 1.5 -> 0.8 s" in out
