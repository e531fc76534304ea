"""Public verification of an exchange's certificate by its code (rate-limited)."""

import re

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse

from clusterxchange.exchanges.forms import (
    VerifyForm,
)
from clusterxchange.exchanges.models import (
    Exchange,
    ExchangeState,
)

CODE_PATTERN = re.compile(r"^[0-9A-F]{16}$")


VERIFY_LIMIT_PER_MINUTE = 30


def verification_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("exchanges:verify_code", args=[code]))


def _too_many_checks(request) -> bool:
    """A coarse per-address limit on verification look-ups (codes are 64 random bits anyway)."""
    key = f"cx-verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > VERIFY_LIMIT_PER_MINUTE


def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = re.sub(r"[\s-]", "", form.cleaned_data["code"]).upper()
        return redirect("exchanges:verify_code", code[:40])
    return render(request, "exchanges/verify.html", {"form": form})


def verify_code(request, code):
    if _too_many_checks(request):
        return render(
            request,
            "exchanges/verify.html",
            {"form": VerifyForm(), "code": code, "throttled": True},
            status=429,
        )
    normalised = code.strip().upper()
    exchange = None
    if CODE_PATTERN.match(normalised):
        exchange = (
            Exchange.objects.filter(certificate_code=normalised, state=ExchangeState.CERTIFIED)
            .select_related("visitor_organisation", "host_organisation")
            .first()
        )
    return render(
        request,
        "exchanges/verify.html",
        {
            "form": VerifyForm(initial={"code": normalised}),
            "code": normalised,
            "certificate": exchange,
            "checked": True,
        },
        status=200 if exchange else 404,
    )
