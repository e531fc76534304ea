"""Searching a list that filters as you type (htmx): typing and the Search button both send a request."""


def search(page, text: str) -> None:
    """Type and press Search, then wait until every answer is in: an answer that lands after the next
    click pushes its URL into the history and so cancels that click's navigation."""
    page.get_by_label("Search").fill(text)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
