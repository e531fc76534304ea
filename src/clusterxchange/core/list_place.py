"""Back to the list a row was decided from, at the same place.

A list whose rows carry decision forms (validate, reject, approve…) includes
``includes/list_place.html`` in each form: it posts the list's own address, filters and page
included, as ``next``. The view that decides then answers with ``back_to_list``, which returns there
— scrolled to the decided row when given its anchor — so an organiser working through a filtered or
paginated list keeps their place. A page that no longer exists (the last row of the last page was
decided away) shows the last one: the lists paginate with ``Paginator.get_page``.

``next`` is only trusted as far as its query string: it must be on this site and on the list's own
path, otherwise the list's unfiltered first page is used (never an open redirect).
"""

from urllib.parse import urlsplit

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def list_place(request, list_url: str) -> str:
    """`list_url` with the filters and page of the list the POST came from (its ``next``), when
    that ``next`` is on this site and on `list_url`'s path; else `list_url` itself."""
    posted = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        posted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return list_url
    posted_parts, list_parts = urlsplit(posted), urlsplit(list_url)
    if posted_parts.path != list_parts.path:
        return list_url
    return f"{list_parts.path}?{posted_parts.query}" if posted_parts.query else list_parts.path


def back_to_list(request, list_url: str, anchor: str = ""):
    """A redirect to the list's place (see `list_place`), scrolled to `anchor` (a row's id) if given."""
    return redirect(list_place(request, list_url) + (f"#{anchor}" if anchor else ""))
