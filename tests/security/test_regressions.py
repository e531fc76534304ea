"""Bugs found by the authorization sweep and the API fuzzing, each pinned by a test."""

import pytest
from django.urls import reverse

from clusterxchange.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_deleting_an_organisation_with_exchanges_is_refused_with_a_reason(xworld):
    """Was a 500 (ProtectedError) in the page and the API; now a message / 422, and nothing is deleted."""
    xworld.new_exchange()
    org = xworld.base.org_a1
    client = xworld.client("coordinator")
    response = client.post(reverse("directory:organisation_delete", args=[org.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("directory:organisation", args=[org.slug])
    assert "cannot be deleted while it has exchanges" in response.content.decode()
    token_client = xworld.client("visitor_partnership")
    response = token_client.delete(f"/api/organisations/{org.slug}")
    assert response.status_code == 422
    assert "cannot be deleted" in response.content.decode()
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_api_schema_names_are_unique():
    """Two apps' `SessionIn` (and three other pairs) shared one OpenAPI component: the committed schema
    described the tandem session body with the event session's fields (found by schemathesis)."""
    import importlib
    import pkgutil

    from ninja import Schema

    import clusterxchange

    seen: dict[str, str] = {}
    clashes = []
    for module_info in pkgutil.iter_modules(clusterxchange.__path__):
        try:
            module = importlib.import_module(f"clusterxchange.{module_info.name}.api")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                if name in seen and seen[name] != module.__name__:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen[name] = module.__name__
    assert not clashes


def test_tandem_session_body_in_the_schema_is_the_tandems_own():
    import json

    from clusterxchange.api.schema import COMMITTED_SCHEMA

    schema = json.loads(COMMITTED_SCHEMA.read_text())
    body = schema["paths"]["/api/tandems/{tandem_id}/sessions"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["required"]) == {"title", "mode", "date"}


def test_patch_with_null_lists_leaves_them_unchanged(world):
    """`"ecosystems": null` (allowed by the schema) was a 500 in PATCH organisation/opportunity/person."""
    import json

    client = world.client("owner")
    org, opportunity, person = world.org_a1, world.opportunity_a1, world.person_a1
    for url, body in (
        (f"/api/organisations/{org.slug}", {"ecosystems": None, "sectors": None, "description": "New"}),
        (f"/api/opportunities/{opportunity.pk}", {"ecosystems": None, "title": "New title"}),
        (f"/api/people/{person.pk}", {"languages": None, "position": "CTO"}),
        (f"/api/people/{person.pk}", {"phone": None}),  # a text column: was an IntegrityError
    ):
        response = client.patch(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, (url, response.content)
    assert list(org.ecosystems.values_list("code", flat=True)) == ["electronics"]
    assert list(org.sectors.values_list("code", flat=True)) == ["26"]
    opportunity.refresh_from_db()
    person.refresh_from_db()
    assert (opportunity.title, person.position, person.phone) == ("New title", "CTO", "")
