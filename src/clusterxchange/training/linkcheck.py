"""Checking that a catalogue link still answers: one request with a hard timeout, never following
a redirect to anything but http(s), never reading more than a few bytes of the answer.

Addresses that resolve to the machine itself or a private network are refused unless the setting
TRAINING_LINKCHECK_ALLOW_PRIVATE is on (the tests turn it on to check against a local server),
so a submitted link cannot make the server probe its own network.
"""

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_TIMEOUT = 5.0
USER_AGENT = "clusterxchange-linkcheck/1.0 (+https://github.com/clusterxchange)"


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status: int | None
    error: str


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise urllib.error.URLError(f"redirect to a non-http address: {newurl[:100]}")
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check_host(url: str) -> None:
    if getattr(settings, "TRAINING_LINKCHECK_ALLOW_PRIVATE", False):
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise urllib.error.URLError(f"unknown host {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise urllib.error.URLError(f"{host} is a private or local address")


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """Alive: a 2xx or 3xx answer (a HEAD refused with 405/501 is retried as GET)."""
    if urlsplit(url).scheme not in {"http", "https"}:
        return LinkResult(False, None, "not an http(s) address")
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    try:
        _check_host(url)
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked above
            try:
                with opener.open(request, timeout=timeout) as response:
                    response.read(1024)
                    return LinkResult(True, response.status, "")
            except urllib.error.HTTPError as exc:
                if method == "HEAD" and exc.code in {403, 405, 501}:
                    continue
                return LinkResult(False, exc.code, f"HTTP {exc.code}")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return LinkResult(False, None, f"no answer within {timeout:g} s")
        return LinkResult(False, None, str(reason)[:300])
    except TimeoutError:
        return LinkResult(False, None, f"no answer within {timeout:g} s")
    except (OSError, ValueError) as exc:
        return LinkResult(False, None, str(exc)[:300])
    return LinkResult(False, None, "no answer")
