"""Production settings pass Django's deployment checklist; development needs no secret."""

import secrets
import subprocess
import sys


def run_cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "clusterxchange", *args], capture_output=True, text=True, env=env
    )


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "exchange.example.eu",
        "CLUSTERXCHANGE_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_cli("check", env={"CLUSTERXCHANGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_generates_a_private_secret_key(tmp_path):
    result = run_cli(
        "check", env={"DEBUG": "1", "CLUSTERXCHANGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key.txt"
    assert len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
