"""The `clusterxchange` command: the project's own commands, and every Django management command."""

import os
import sys

OWN_COMMANDS = {
    "demo": "Create a SQLite database with demo data and serve the site on http://127.0.0.1:8000.",
    "serve": "Serve the site in production with gunicorn (settings from the environment).",
    "worker": "Run background tasks (scheduling, imports, reports) from the database queue.",
    "schedule": "Schedule B2B meetings from an instance file (JSON or the paper's .dzn), or --verify one.",
    "export_openapi": "Write the REST API's OpenAPI schema (the committed copy is checked by the tests).",
    "backup": "Write the database and the uploaded files into one verified archive (--out FILE).",
    "restore": "Replace the database and the uploaded files by those of a backup archive, once verified.",
    "purge_evidence": "Delete exchange evidence whose retention period is over (a dry run unless --apply).",
}

ENGINE_COMMANDS = {"schedule": "clusterxchange.engines.scheduling.cli"}


def print_help() -> None:
    print("usage: clusterxchange COMMAND [options]\n")
    print("Commands:")
    for name, text in OWN_COMMANDS.items():
        print(f"  {name:<16}{text}")
    print("\nEvery Django management command works too (migrate, createsuperuser, check, ...):")
    print("  clusterxchange help            lists them all")
    print("  clusterxchange COMMAND --help  explains one")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "--help"
    if command in {"-h", "--help"}:
        print_help()
        return 0
    if command in ENGINE_COMMANDS:
        # Pure engines run on files, without Django or a database.
        from importlib import import_module  # noqa: PLC0415 — engine commands run without Django

        return import_module(ENGINE_COMMANDS[command]).main(argv[2:])
    if command == "demo":
        os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterxchange.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 — after DJANGO_SETTINGS_MODULE is set

    argv[0] = "clusterxchange"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
