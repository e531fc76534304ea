"""The partners' grant budgets: budget, committed, paid and available, per programme."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from clusterxchange.core.domain import REFUSALS, require
from clusterxchange.exchanges.budget import budget_tables
from clusterxchange.exchanges.rules import budget_programmes


@login_required
def budget(request):
    require(request.user, "exchanges.view_budget")
    programmes = list(budget_programmes(request.user).prefetch_related("texts").order_by("-start_date"))
    if not programmes:
        raise PermissionDenied(REFUSALS["exchanges.view_budget"])
    return render(request, "exchanges/budget.html", {"tables": budget_tables(request.user, programmes)})
