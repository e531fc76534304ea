"""No test depends on the day it runs: the clock is fixed, and date-sensitive scenarios run on bad days.

tests/conftest.py freezes every test's clock at ``RUN_AT`` (time ticks from there) and runs each test
marked ``date_sensitive`` once more at each of ``RUN_DATES``: a week with a public holiday, the ends of
a month and a year, the evening when the local and the UTC dates differ, and both daylight-saving
changes. This module checks that machinery, and that no test reads the clock while it is collected
(before the clock is fixed), which is how a test built from "today" would come back.
"""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import RUN_AT, RUN_DATES

TESTS = Path(__file__).resolve().parents[1]
CLOCK_READS = {"now", "today", "localdate", "localtime", "utcnow", "next_monday"}


def test_every_test_starts_at_the_fixed_instant():
    assert abs(timezone.now() - RUN_AT).total_seconds() < 60
    assert date.today() == timezone.localdate() == RUN_AT.date()


@pytest.mark.run_at("2026-12-07T09:00:00+01:00")
def test_a_test_may_choose_its_instant():
    assert timezone.localdate() == date(2026, 12, 7)


@pytest.mark.date_sensitive
def test_date_sensitive_tests_run_at_each_run_date(run_date):
    expected = datetime.fromisoformat(run_date) if run_date else RUN_AT
    assert abs(timezone.now() - expected).total_seconds() < 60


def test_the_run_dates_cover_the_days_where_dates_break():
    instants = {name: datetime.fromisoformat(value) for name, value in RUN_DATES.items()}
    local = {name: timezone.localtime(instant) for name, instant in instants.items()}
    assert local["holiday-week"].weekday() == 0  # Monday 7 Dec 2026; 8 Dec is a holiday in ES, IT, AT
    assert local["year-end"].date() == date(2026, 12, 31)
    assert local["new-month-utc-eve"].date() != instants["new-month-utc-eve"].astimezone(UTC).date()
    spring, autumn = local["spring-dst"], local["autumn-dst"]
    assert spring.utcoffset() != timezone.localtime(instants["spring-dst"].replace(hour=4)).utcoffset()
    assert autumn.dst().total_seconds() == 0 and autumn.date() == date(2026, 10, 25)


def _clock_reads_outside_tests(tree: ast.Module):
    """Calls that read the clock when the module is imported or its tests are collected."""
    roots: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            roots.extend(node.decorator_list)
            roots.extend(node.args.defaults)
        elif isinstance(node, ast.ClassDef):
            roots.extend(node.decorator_list)
        else:
            roots.append(node)
    while roots:
        node = roots.pop()
        if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
            continue  # runs later, under the test's clock
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in CLOCK_READS:
                yield node.lineno
        roots.extend(ast.iter_child_nodes(node))


def test_no_test_reads_the_clock_while_being_collected():
    found = [
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in _clock_reads_outside_tests(ast.parse(path.read_text()))
    ]
    assert found == [], "read the clock inside the test (under the fixed clock), not when collected"
