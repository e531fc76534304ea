"""The demo loader: the EXCITE partners, ~200 members, one login per role; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import load_demo
from clusterxchange.directory.models import Opportunity, Organisation, Person
from clusterxchange.programmes.models import PartnerCluster


@pytest.mark.django_db
def test_demo_loads_once_and_is_idempotent():
    first = load_demo()
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
    )
    assert 190 <= counts[0] <= 230
    partners = {p.cluster.name: p for p in PartnerCluster.objects.select_related("cluster")}
    assert set(partners) == {
        "Silicon Saxony",
        "Pôle SCS",
        "GAIA",
        "Mazovia Cluster ICT",
        "Business Hive Vilnius",
        "Cluster for Digital Transformation and Innovations",
    }
    assert partners["Silicon Saxony"].is_coordinator
    assert partners["Silicon Saxony"].cluster.city == "Dresden"
    assert partners["Pôle SCS"].cluster.city == "Sophia Antipolis"
    countries = set(Organisation.objects.values_list("country", flat=True))
    assert countries == {"DE", "FR", "ES", "PL", "LT", "BG"}
    assert Organisation.objects.filter(is_sme=True).count() > 80
    assert len(first.logins) >= 4  # the exchanges part adds a host and a visitor
    second = load_demo()
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
    ) == counts
    assert second.logins == first.logins


@pytest.mark.django_db
def test_demo_command_without_serving(capsys):
    call_command("demo", no_serve=True)
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in output
    assert "coordinator@excite.example" in output
    assert "excite-demo-2026" in output
