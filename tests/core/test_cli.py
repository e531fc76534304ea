import subprocess
import sys

from clusterxchange.__main__ import OWN_COMMANDS


def test_help_lists_the_project_commands():
    result = subprocess.run(
        [sys.executable, "-m", "clusterxchange", "--help"], capture_output=True, text=True, check=True
    )
    for command in OWN_COMMANDS:
        assert command in result.stdout


def test_django_commands_run_through_the_cli(tmp_path):
    env = {"DEBUG": "1", "CLUSTERXCHANGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "clusterxchange", "check"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
