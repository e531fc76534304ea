"""Links the interface shows never lead to a refusal: every link on every page a role can open (from the
sweep's tables) is followed as that role, and must not answer 403, 404 or 5xx, nor send a logged-in
user to the login page (a coordinator was offered "My agenda", a 403)."""

import re
from collections import defaultdict
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.security.access import ROLES
from tests.security.pages import reachable_pages

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# Not followed: the admin (own login), the API docs, files, downloads, mail and anchors.
SKIP = ("/admin/", "/api/", "/static/", "/media/", "mailto:", "#", "/accounts/logout/", "/i18n/")
VARIANTS_PER_PATH = 3  # filter and page links: a few query strings of one page are enough


def _links(html: str) -> list[str]:
    links = []
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
            continue
        links.append(href)
    return links


@pytest.mark.parametrize("role", ROLES)
def test_no_link_leads_to_a_refusal(sworld, role):
    client = sworld.client(role)
    followed: set[str] = set()
    per_path: dict[str, int] = defaultdict(int)
    problems = []
    for _name, page in reachable_pages(sworld, role):
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            path = urlsplit(link).path
            if link in followed or per_path[path] >= VARIANTS_PER_PATH:
                continue
            followed.add(link)
            per_path[path] += 1
            answer = client.get(link)
            refused = answer.status_code in {403, 404} or answer.status_code >= 500
            to_login = role != "anonymous" and "/accounts/login/" in answer.get("Location", "")
            if refused or to_login:
                problems.append(f"{page} links to {link}: {answer.status_code} {answer.get('Location', '')}")
    assert not problems, f"{len(problems)} links refuse {role}:\n" + "\n".join(sorted(set(problems)))
