"""The demo data loader. Each app adds its own part in a `demo.py` module:

    from clusterxchange.core.demo import register

    @register("directory", order=10)
    def load(context):  # creates records; runs once per database
        ...

`load_demo()` runs every registered part in order, each at most once per database (a row in
DemoDataset marks it loaded), so running `clusterxchange demo` again neither fails nor duplicates,
and a part added by a later release loads into an existing demo database.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from clusterxchange.core import audit
from clusterxchange.core.models import AuditEntry, DemoDataset

DEMO_PASSWORD = "excite-demo-2026"  # noqa: S105  # printed to the user; demo accounts only  # nosec B105
DEMO_SEED = 20220201


def record_role_given(by, user, target, role: str, when: date | datetime) -> AuditEntry:
    """The entry `accounts.domain.assign_role` writes when it gives `user` the `role` ("coordinator" on a
    programme, "manager" or "member" of an organisation) on `target`, dated `when`. The demo's parts give
    roles by creating the records (the apps below accounts may not call its actions; its domain would
    also make person records the demo does not want), and write this so that the members pages and a
    programme's history show who gave which role, and when, as on a real platform."""
    changes = {"coordinator": ["", str(user)]} if role == "coordinator" else None
    entry = audit.record(by, "accounts.role.assign", target, to_state=role, changes=changes, subject=user)
    if not isinstance(when, datetime):
        when = timezone.make_aware(datetime.combine(when, time(10, 0)))
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
    return entry


@dataclass
class DemoContext:
    rng: random.Random
    stdout: TextIO | None = None
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    load: Callable[[DemoContext], None]
    summary: Callable[[DemoContext], None] | None = None


_parts: dict[str, DemoPart] = {}


def register(name: str, order: int, summary: Callable[[DemoContext], None] | None = None):
    def decorator(function: Callable[[DemoContext], None]):
        _parts[name] = DemoPart(name=name, order=order, load=function, summary=summary)
        return function

    return decorator


def load_demo(stdout: TextIO | None = None) -> DemoContext:

    autodiscover_modules("demo")
    rng = random.Random(DEMO_SEED)  # seeded for repeatable demo data, not security  # nosec B311
    context = DemoContext(rng=rng, stdout=stdout)
    for part in sorted(_parts.values(), key=lambda p: p.order):
        with transaction.atomic():
            _dataset, created = DemoDataset.objects.select_for_update().get_or_create(name=part.name)
            if created:
                context.log(f"Loading demo data: {part.name}")
                context.rng.seed(f"{DEMO_SEED}-{part.name}")
                part.load(context)
        if part.summary:
            part.summary(context)
    return context
