import json

from clusterxchange.api.schema import COMMITTED_SCHEMA, current_schema


def test_committed_openapi_schema_matches_the_code():
    """Regenerate with `clusterxchange export_openapi` when the API changes on purpose."""
    committed = json.loads(COMMITTED_SCHEMA.read_text())
    assert committed == json.loads(json.dumps(current_schema(), sort_keys=True)), (
        "The API differs from src/clusterxchange/api/openapi.json: run `clusterxchange export_openapi`."
    )


def test_schema_is_served(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "clusterxchange API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.content.decode()  # Swagger UI is served from our static files
