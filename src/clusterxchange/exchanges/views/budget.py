"""The partners' grant budgets: budget, committed, paid and available, per programme."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import render

from clusterxchange.core.roles import roles_of
from clusterxchange.exchanges.models import (
    COMMITTED_STATES,
    Exchange,
)
from clusterxchange.exchanges.rules import (
    budget_programmes,
)
from clusterxchange.programmes.models import PartnerCluster


def _sums_by_partner(exchanges, column: str) -> dict[int, Decimal]:
    rows = exchanges.values("visitor_partner_id").annotate(total=Sum(column)).order_by()
    return {row["visitor_partner_id"]: row["total"] or Decimal(0) for row in rows}


@login_required
def budget(request):
    if not request.user.has_perm("exchanges.view_budget"):
        raise PermissionDenied
    roles = roles_of(request.user)
    programmes = list(budget_programmes(request.user).order_by("-start_date"))
    if not programmes:
        raise PermissionDenied
    partners = list(
        PartnerCluster.objects.filter(programme__in=programmes)
        .select_related("cluster")
        .order_by("programme", "-is_coordinator", "cluster__name")
    )
    of_partners = Exchange.objects.filter(visitor_partner__in=partners)
    committed = _sums_by_partner(
        of_partners.filter(grant_approved_at__isnull=False, state__in=COMMITTED_STATES), "grant_amount_eur"
    )
    paid = _sums_by_partner(of_partners.filter(paid_amount_eur__isnull=False), "paid_amount_eur")
    zero = Decimal(0)
    tables = []
    for programme in programmes:
        full_view = programme.pk in roles.coordinator_programme_ids
        lines, others = [], {"budget": zero, "committed": zero, "paid": zero, "available": zero, "count": 0}
        total = {"budget": zero, "committed": zero, "paid": zero, "available": zero}
        for partner in (p for p in partners if p.programme_id == programme.pk):
            line = {
                "partner": partner,
                "budget": partner.grant_budget_eur,
                "committed": committed.get(partner.pk, zero),
                "paid": paid.get(partner.pk, zero),
            }
            line["available"] = line["budget"] - line["committed"]
            for key in total:
                total[key] += line[key]
            if full_view or partner.cluster_id in roles.managed_cluster_ids:
                lines.append(line)
            else:
                for key in ("budget", "committed", "paid", "available"):
                    others[key] += line[key]
                others["count"] += 1
        tables.append(
            {
                "programme": programme,
                "lines": lines,
                "others": others if others["count"] else None,
                "total": total,
                "programme_available": programme.grant_budget_eur - total["committed"],
            }
        )
    return render(request, "exchanges/budget.html", {"tables": tables})
