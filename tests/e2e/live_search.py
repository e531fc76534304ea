"""Searching a list that filters as you type (htmx): typing and the Search button both send a request."""


def search(page, text: str) -> None:
    """Type and press Search, then wait until every answer is in, so that the results checked next are
    those of the whole text (a late answer no longer cancels a click that leaves the page:
    core/static/cx/live-search.js)."""
    page.get_by_label("Search").fill(text)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
