"""The page "Waiting for you" and the box of the home page, from what `clusterxchange.waiting` gathers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from clusterxchange.core.roles import roles_of
from clusterxchange.waiting.gathering import waiting_for


@login_required
def waiting(request):
    """The page "Waiting for you"."""
    return render(request, "core/waiting.html", {"groups": waiting_for(request.user)})


@login_required
def waiting_box(request):
    """The box of the home page, which the home page loads after itself: a coordinator's list asks
    every open exchange's rules (about 0.2 ms each, docs/benchmarks.md), which the rest of the page
    need not wait for. Without JavaScript the home page links to the page instead."""
    context = {
        "waiting": waiting_for(request.user),
        "needs_organisation": not roles_of(request.user).is_programme_member,
    }
    return render(request, "core/_waiting_box.html", context)
