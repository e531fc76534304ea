import json

import pytest

from clusterxchange.engines.scheduling.cli import main
from clusterxchange.engines.scheduling.jsonio import instance_to_dict

from .builders import make_instance

DZN = """nBusiness = 3;
nMeetings = 2;
nTables = 1;
nTotalSlots = 3;
nMorningSlots = 3;
requested = [|1, 2,3,
|1, 3,3,
|];
forbidden = [{2},{0},{0}];
"""


@pytest.fixture
def dzn_file(tmp_path):
    path = tmp_path / "tiny.dzn"
    path.write_text(DZN)
    return path


def test_solve_dzn_writes_documented_json_and_verifies(dzn_file, tmp_path, capsys):
    out = tmp_path / "schedule.json"
    assert main([str(dzn_file), "--out", str(out), "--time-limit", "10"]) == 0
    data = json.loads(out.read_text())
    assert data["status"] == "optimal" and data["proven"] is True
    assert data["objective"] == 1 == data["lower_bound"]
    assert [m["participants"] for m in data["meetings"]] == [[1, 2], [1, 3]]
    assert {m["slot"] for m in data["meetings"]} == {1, 3}
    assert "optimal" in capsys.readouterr().err
    assert main(["--verify", str(dzn_file), str(out)]) == 0
    assert "valid: placed 2/2, total breaks 1" in capsys.readouterr().out


def test_verify_rejects_a_tampered_schedule(dzn_file, tmp_path, capsys):
    out = tmp_path / "schedule.json"
    main([str(dzn_file), "--out", str(out), "--quiet"])
    data = json.loads(out.read_text())
    data["meetings"][0]["slot"] = 2
    out.write_text(json.dumps(data))
    assert main(["--verify", str(dzn_file), str(out)]) == 1
    assert "unavailable" in capsys.readouterr().out


def test_oversubscribed_json_instance(tmp_path):
    instance = make_instance(1, 1, [(1, 2), (1, 3)])
    path = tmp_path / "event.json"
    path.write_text(json.dumps(instance_to_dict(instance)))
    out = tmp_path / "s.json"
    assert main([str(path), "--mode", "oversubscribed", "--out", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    assert data["placed"] == 1 == data["placed_upper_bound"]
    assert sum(1 for m in data["meetings"] if m["slot"] is None and m["reason"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time-limit", "-1"], "--time-limit must not be negative"),
        (["--fairness", "-2"], "--fairness must not be negative"),
    ],
)
def test_bad_arguments_exit_2(dzn_file, capsys, args, message):
    assert main([str(dzn_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_bad_files_exit_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.dzn"
    bad.write_text(DZN.replace("|1, 3,3,", "|1, 1,3,"))
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 7" in err and "with itself" in err and "Traceback" not in err
    assert main([str(tmp_path / "missing.json")]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert main([str(broken)]) == 2
    assert "invalid JSON" in capsys.readouterr().err
