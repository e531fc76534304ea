"""`clusterxchange serve`: gunicorn's arguments, and the matching index built once before forking."""

import importlib
import os

import pytest
from django.core.management import call_command
from django.db import connections


def served_arguments(monkeypatch, *options) -> list[str]:
    captured = {}

    def fake_execv(path, arguments):
        captured["arguments"] = arguments

    monkeypatch.setattr(os, "execv", fake_execv)
    call_command("serve", *options)
    return captured["arguments"]


def test_serve_preloads_with_a_long_keep_alive_by_default(monkeypatch):
    monkeypatch.delenv("CLUSTERXCHANGE_PRELOAD_MATCHING", raising=False)
    arguments = served_arguments(monkeypatch, "--bind", "127.0.0.1:9999", "--workers", "3")
    assert arguments[arguments.index("--keep-alive") + 1] == "75"
    assert arguments[arguments.index("--workers") + 1] == "3"
    assert "--preload" in arguments
    assert "--access-logfile" not in arguments  # the app logs each request once, itself
    assert os.environ["CLUSTERXCHANGE_PRELOAD_MATCHING"] == "1"
    monkeypatch.delenv("CLUSTERXCHANGE_PRELOAD_MATCHING")
    assert "--preload" not in served_arguments(monkeypatch, "--no-preload-matching")


@pytest.mark.django_db
def test_the_wsgi_module_builds_the_matching_index_when_preloading(world, monkeypatch):
    from clusterxchange.directory.matching import directory_index

    directory_index.reset()
    monkeypatch.setenv("CLUSTERXCHANGE_PRELOAD_MATCHING", "1")
    closed = []
    # The master closes its connections before forking; here that would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    import clusterxchange.wsgi

    importlib.reload(clusterxchange.wsgi)
    assert closed  # the connections were closed before any fork
    index = directory_index._index
    assert index is not None
    assert directory_index.current() is index  # the workers reuse it, no rebuild
    directory_index.reset()
