"""The Django admin: one rule for every `admin:*` URL (all are still enumerated and requested).

Only staff get past the admin login: anonymous users and every non-staff role are sent to the admin
login page; the coordinator (staff) is let in (page, redirect, or 403/404 for a missing model permission
or object, never the login page). The admin's own login and logout pages are exempt.
"""

from django.urls import NoReverseMatch, reverse

EXEMPT = {"admin:login", "admin:logout"}
STAFF_ROLES = {"coordinator"}
# The admin decides on `is_staff` alone, so one logged-in non-staff role stands for all of them
# (the most privileged one: a partner manager), with anonymous and the staff coordinator.
CHECKED_ROLES = ("coordinator", "manager", "anonymous")
# Values for the admin's URL parameters: a non-existent object is enough to pass the permission check.
CANDIDATE_KWARGS = (
    {},
    {"object_id": "0"},
    {"app_label": "directory"},
    {"content_type_id": "1", "object_id": "0"},
    {"id": "0"},
)


def covers(name: str) -> bool:
    return name.startswith("admin:")


def url_for(name: str) -> str:
    for kwargs in CANDIDATE_KWARGS:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}: add its parameters to CANDIDATE_KWARGS")


def expected(name: str, role: str) -> str | None:
    if name in EXEMPT or role not in CHECKED_ROLES:
        return None
    return "staff" if role in STAFF_ROLES else "login"


def check(name: str, url: str, role: str, got: str, problems: list[str]) -> None:
    want = expected(name, role)
    if want == "login" and got != "login":
        problems.append(f"GET {name} {url} as {role}: expected the admin login, got {got}")
    if want == "staff" and (got == "login" or not got.isidentifier()):
        problems.append(f"GET {name} {url} as {role} (staff): expected to be let in, got {got}")
