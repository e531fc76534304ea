from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clusterxchange.directory.models import Opportunity, Organisation, OrganisationType
from clusterxchange.programmes.models import Programme


def home(request):
    programme = Programme.objects.prefetch_related("partners__cluster").first()
    context = {
        "programme": programme,
        "partners": [partner.cluster for partner in programme.partners.all()] if programme else [],
        "organisation_count": Organisation.objects.count(),
        "cluster_count": Organisation.objects.filter(org_type=OrganisationType.CLUSTER).count(),
        "opportunity_count": Opportunity.objects.visible_to_public().count(),
        "latest_opportunities": Opportunity.objects.visible_to_public()
        .select_related("organisation", "type")
        .order_by("-created_at")[:5],
    }
    return render(request, "core/home.html", context)


@never_cache
def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
