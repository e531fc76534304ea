"""Every template uses the design system (docs/interface.md): the deviations a machine can see.

Two sweeps: the template sources (every file under templates/), and every page the authorization sweep's
tables let a role open (tests/security/pages.py), rendered once by the first role that can open it."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import clusterxchange
from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world
from tests.security.pages import pages_by_first_role

TEMPLATES = Path(clusterxchange.__file__).parent / "templates"
# The pieces themselves may do what the pages must not.
PIECES = {"includes/form.html", "includes/field.html", "includes/search_box.html", "includes/pagination.html"}
# Printed documents (PDF) have their own layout: of the web pieces only the scoped table headers apply.
PRINTED = "/pdf/"

TH_WITHOUT_SCOPE = re.compile(r"<th(?![^>]*\bscope=)[\s>]")
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
WHOLE_FORM = re.compile(r"\{\{\s*\w*form\s*\}\}|\{\{\s*\w*form\.as_(p|div|table|ul)\s*\}\}")
# A field written out by hand: `{{ field }}`, `{{ form.name }}`, a label tag, a field's errors.
HAND_FIELD = re.compile(
    r"\{\{\s*(field|\w*form\.(?!non_field_errors|media|errors|as_)\w+)(\.errors)?\s*\}\}|label_tag"
)
STATUS_DISPLAY = re.compile(r"get_\w*(status|state)\w*_display")
BADGE_TAG = re.compile(r"\{%\s*status_badge\s[^%]*%\}")
HAND_BADGE = re.compile(r'class="badge[\s"]')
HAND_PAGINATION = re.compile(r"previous_page_number|next_page_number")


def _templates() -> list[tuple[str, str]]:
    return [(str(p.relative_to(TEMPLATES)), p.read_text()) for p in sorted(TEMPLATES.rglob("*.html"))]


def source_deviations(name: str, text: str) -> list[str]:
    """What in one template's source departs from the design system."""
    if name in PIECES:
        return []
    found = []

    def each(pattern, what, source=text):
        found.extend(f"{name}: {what}: {m.group(0)!r}" for m in pattern.finditer(source))

    each(TH_WITHOUT_SCOPE, '<th> without scope="col" or scope="row"')
    each(INLINE_STYLE, "inline style (the CSP allows none; use a class of site.css)")
    each(WHOLE_FORM, 'a form rendered whole instead of {% include "includes/form.html" %}')
    each(HAND_FIELD, 'a field rendered by hand instead of {% include "includes/form.html" %}')
    without_badges = BADGE_TAG.sub("", text)
    each(STATUS_DISPLAY, "a status shown without {% status_badge %}", without_badges)
    if PRINTED not in f"/{name}":
        each(HAND_BADGE, "a badge written by hand instead of {% status_badge %}")
    each(HAND_PAGINATION, 'pagination written by hand instead of {% include "includes/pagination.html" %}')
    return found


def test_every_template_source_uses_the_pieces():
    deviations = [d for name, text in _templates() for d in source_deviations(name, text)]
    assert not deviations, f"{len(deviations)} deviations:\n" + "\n".join(deviations)


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ("<table><tr><th>Name</th><th scope='col'>Size</th></tr></table>", 1),
        ('<p style="color: red">x</p>', 1),
        ("{{ form.as_p }}", 1),
        ("<label>{{ form.title.label }}</label>{{ form.title }}{{ form.title.errors }}", 2),
        ("{{ exchange.get_state_display }}", 1),
        ("{% status_badge exchange.state exchange.get_state_display %}", 0),
        ('<span class="badge">{{ x }}</span>', 1),
        ('<a href="?page={{ page.next_page_number }}">', 1),
        ('{% include "includes/form.html" %}{% include "includes/pagination.html" with page=page %}', 0),
        ('{% include "includes/field.html" with field=form.period %}', 0),
    ],
)
def test_the_source_check_sees_each_deviation(source, count):
    assert len(source_deviations("x.html", source)) == count


class _Page(HTMLParser):
    """The headings, table headers and inline styles of a rendered page."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        if tag == "th" and attributes.get("scope") not in {"col", "row", "colgroup", "rowgroup"}:
            self.problems.append("<th> without scope")
        if "style" in attributes:
            self.problems.append(f"<{tag} style=…>")


def page_deviations(html: str) -> list[str]:
    """What in one rendered page departs from the design system; a fragment (htmx) has no page header."""
    page = _Page()
    page.feed(html)
    problems = list(dict.fromkeys(page.problems))
    if "<main" in html and page.h1 != 1:
        problems.append(f"{page.h1} <h1> (one page header per page)")
    return problems


def test_the_page_check_sees_each_deviation():
    assert page_deviations("<main><h1>A</h1><table><tr><th scope='col'>x</th></tr></table></main>") == []
    assert page_deviations("<td>a fragment</td>") == []
    assert page_deviations("<main><h1>A</h1><h1>B</h1><th>x</th><p style='x'>") == [
        "<th> without scope",
        "<p style=…>",
        "2 <h1> (one page header per page)",
    ]


@pytest.mark.django_db
def test_every_page_has_one_page_header_and_scoped_table_headers(sworld):  # noqa: F811
    deviations, checked = [], 0
    clients = {}
    for role, _name, url in pages_by_first_role(sworld):
        client = clients.setdefault(role, sworld.client(role))
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        deviations.extend(
            f"{url} ({role}): {problem}" for problem in page_deviations(response.content.decode())
        )
    assert checked > 100, f"only {checked} pages checked: is the URL list empty?"
    assert not deviations, f"{len(deviations)} deviations:\n" + "\n".join(deviations)
