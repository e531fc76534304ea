"""Markdown to safe HTML: python-markdown renders, nh3 (ammonia) keeps only harmless tags.

Scripts, event-handler attributes (`onerror=`), `style=`, iframes and `javascript:` links are
removed; links, emphasis, lists, headings, tables, quotes and code stay. Links get
`rel="noopener noreferrer nofollow"`.
"""

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> str:
    """Sanitised HTML for a Markdown text (headings start at h2: the page title is the h1)."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = _shift_headings(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _shift_headings(html: str) -> str:
    """`# Heading` becomes h2 and so on, so an article keeps one h1 (its title) per page."""
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
        html = html.replace(f"<h{level} ", f"<h{level + 1} ")
    return html
