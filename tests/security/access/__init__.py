"""Expected access of every URL name and API operation, one module per app (see ../README.md).

Each module defines `URLS` (url name → `Url`) and/or `API` ((METHOD, "/api/path/{param}") → `Op`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

ROLES = ("coordinator", "manager", "other_manager", "owner", "outsider", "anonymous")
OUTCOMES = {"ok", "redirect", "login", "forbidden", "not_found", "not_allowed", "invalid", "conflict"}
# A role that gets one of these was refused: it must have changed nothing in the database.
REFUSED = {"login", "forbidden", "not_found", "not_allowed", "invalid", "conflict"}


def modules() -> list[str]:
    """The apps that have a table here (one module per app; `admin` holds the admin's one rule)."""
    from pathlib import Path

    return sorted(p.stem for p in Path(__file__).parent.glob("*.py") if p.stem not in {"__init__", "admin"})


def E(rest: str | None = None, **outcomes: str) -> dict[str, str]:
    """Expected outcome per role: `E(ok="coordinator manager", login="anonymous", rest="forbidden")`."""
    expected: dict[str, str] = {}
    for outcome, roles in outcomes.items():
        assert outcome in OUTCOMES, f"unknown outcome {outcome!r}; one of {sorted(OUTCOMES)}"
        for role in roles.split():
            assert role in ROLES, f"unknown role {role!r}"
            assert role not in expected, f"role {role!r} named twice"
            expected[role] = outcome
    if rest is not None:
        assert rest in OUTCOMES, f"unknown outcome {rest!r}"
        expected.update({role: rest for role in ROLES if role not in expected})
    missing = [role for role in ROLES if role not in expected]
    assert not missing, f"no outcome for {missing} (name them or give rest=...)"
    return expected


PUBLIC = E(rest="ok")
USERS = E(login="anonymous", rest="ok")
STAFF = E(ok="coordinator", login="anonymous", rest="forbidden")


@dataclass
class Url:
    """A page: GET always checked; POST checked when `post` is given (the view accepts POST)."""

    get: dict[str, str]
    post: dict[str, str] | None = None
    kwargs: Callable[[object], dict] = field(default=lambda s: {})
    query: str = ""  # appended to the GET url, e.g. "?export=csv"
    data: Callable[[object], dict] = field(default=lambda s: {})  # POST form data
    changes: str | None = None  # roles whose POST may change the database (default: those not refused)
    note: str = ""


@dataclass
class Op:
    """An API operation: `params` fill the path, `body` is the JSON sent (needed for 403 past validation)."""

    expect: dict[str, str]
    params: Callable[[object], dict] = field(default=lambda s: {})
    body: Callable[[object], dict] | None = None
    query: str = ""
    multipart: bool = False  # send `body` as a form with files instead of JSON
    changes: str | None = None  # roles whose call may change the database (default: those not refused)
    note: str = ""


def kw(**paths: str) -> Callable[[object], dict]:
    """URL kwargs or API path parameters read from the world: `kw(pk="t.tandem.pk")`."""
    getters = {key: attrgetter(path) for key, path in paths.items()}
    return lambda s: {key: get(s) for key, get in getters.items()}


def form(expect: dict[str, str], **fields) -> Url:
    """A page whose form is shown (GET) and sent (POST) with the same expected access."""
    return Url(get=expect, post=expect, **fields)


POST_ONLY = E(login="anonymous", rest="not_allowed")  # GET of a view that only accepts POST


def action(expect: dict[str, str], **fields) -> Url:
    """A view that only accepts POST (a button): GET is not allowed, POST gets `expect`."""
    return Url(get=POST_ONLY, post=expect, **fields)


def load(app: str):
    """The table of an app (an empty one when the app has no module yet: the coverage test says so)."""
    import importlib

    try:
        return importlib.import_module(f"tests.security.access.{app}")
    except ModuleNotFoundError as error:
        if error.name != f"tests.security.access.{app}":
            raise
        return None
