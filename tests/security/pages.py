"""The pages each role can open, read from the authorization sweep's tables (access/): the link check
(test_links.py) and the browser's layout sweep (tests/e2e/test_every_page.py) visit these."""

from django.urls import reverse

from tests.security.access import load, modules

# Downloads (CSV, XLSX, PDF, iCalendar) are not pages.
NOT_PAGES = ("export=", "format=", "/pdf", ".pdf", "calendar", "/feed", ".ics", "/evidence/", "/image/")


def reachable_pages(s, role: str) -> list[tuple[str, str]]:
    """(url name, address) of every page whose GET the tables expect to answer 200 for `role`."""
    pages = []
    for app in modules():
        for name, entries in getattr(load(app), "URLS", {}).items():
            for entry in entries if isinstance(entries, list) else [entries]:
                if entry.get[role] != "ok":
                    continue
                query = entry.query(s) if callable(entry.query) else entry.query
                url = reverse(name, kwargs=entry.kwargs(s)) + query
                if not any(marker in url for marker in NOT_PAGES):
                    pages.append((name, url))
    return pages


# Who opens a page first when each page is visited once (the browser sweep, the design-system check).
ROLES_IN_ORDER = ["coordinator", "manager", "owner", "outsider", "other_manager", "anonymous"]


def pages_by_first_role(s) -> list[tuple[str, str, str]]:
    """(role, url name, address): each page once, seen by the first role in ROLES_IN_ORDER that opens it."""
    seen, pages = set(), []
    for role in ROLES_IN_ORDER:
        for name, url in reachable_pages(s, role):
            if url not in seen:
                seen.add(url)
                pages.append((role, name, url))
    return pages
