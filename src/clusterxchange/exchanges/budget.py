"""The partners' grant budgets as the budget page shows them: per programme, each partner's budget,
committed grants (`Exchange.objects.committed()`), payments and what is left; the lines a user may not
see (`exchanges.view_partner_budget`) are summed up as "the other partners"."""

from decimal import Decimal

from django.db.models import Sum

from clusterxchange.exchanges.models import Exchange
from clusterxchange.programmes.models import PartnerCluster

AMOUNTS = ("budget", "committed", "paid", "available")


def _sums_by_partner(exchanges, column: str) -> dict[int, Decimal]:
    rows = exchanges.values("visitor_partner_id").annotate(total=Sum(column)).order_by()
    return {row["visitor_partner_id"]: row["total"] or Decimal(0) for row in rows}


def budget_tables(user, programmes) -> list[dict]:
    """One table per programme: `lines` (the partners the user sees), `others` (the rest, summed up,
    or None), `total` and `programme_available`."""
    partners = list(
        PartnerCluster.objects.filter(programme__in=programmes)
        .select_related("cluster")
        .order_by("programme", "-is_coordinator", "cluster__name")
    )
    of_partners = Exchange.objects.filter(visitor_partner__in=partners)
    committed = _sums_by_partner(of_partners.committed(), "grant_amount_eur")
    paid = _sums_by_partner(of_partners.filter(paid_amount_eur__isnull=False), "paid_amount_eur")
    zero = Decimal(0)
    tables = []
    for programme in programmes:
        lines, others = [], {**dict.fromkeys(AMOUNTS, zero), "count": 0}
        total = dict.fromkeys(AMOUNTS, zero)
        for partner in (p for p in partners if p.programme_id == programme.pk):
            line = {
                "partner": partner,
                "budget": partner.grant_budget_eur,
                "committed": committed.get(partner.pk, zero),
                "paid": paid.get(partner.pk, zero),
            }
            line["available"] = line["budget"] - line["committed"]
            for key in AMOUNTS:
                total[key] += line[key]
            if user.has_perm("exchanges.view_partner_budget", partner):
                lines.append(line)
            else:
                for key in AMOUNTS:
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
    return tables
