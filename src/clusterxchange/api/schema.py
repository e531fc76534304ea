from pathlib import Path

COMMITTED_SCHEMA = Path(__file__).resolve().parent / "openapi.json"


def current_schema() -> dict:
    from clusterxchange.api.main import api

    return api.get_openapi_schema(path_prefix="/api")
