from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of `queryset` (an out-of-range or malformed page gives the nearest valid one)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def api_page(queryset, page: int, page_size: int, out=None) -> dict:
    """An API list response: `count` items in all, the `page` shown of `pages`, and its `results`
    (each item passed through `out` when given). A page past the end gives the last one."""
    paginator = Paginator(queryset, page_size)
    current = paginator.get_page(page)
    items = current.object_list
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [out(item) for item in items] if out is not None else list(items),
    }
