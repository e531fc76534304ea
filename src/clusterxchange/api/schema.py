from pathlib import Path

from clusterxchange.api.main import api

COMMITTED_SCHEMA = Path(__file__).resolve().parent / "openapi.json"


def current_schema() -> dict:

    return api.get_openapi_schema(path_prefix="/api")
