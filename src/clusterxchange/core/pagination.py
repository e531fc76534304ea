from django.core.paginator import Paginator
from django.utils.functional import cached_property

from clusterxchange.core.cached_counts import cached_count

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100  # the most rows an API answer gives at once (its `page_size` and unpaged lists)


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from `cached_count` (see there) for a data scope."""

    def __init__(self, object_list, per_page, count_scope: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_scope = count_scope

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list, self.count_scope)


def paginator_for(queryset, per_page: int, count_scope: str | None = None) -> Paginator:
    if count_scope:
        return CachedCountPaginator(queryset, per_page, count_scope)
    return Paginator(queryset, per_page)


def paginate(
    request, queryset, per_page: int = PAGE_SIZE, count_scope: str | None = None, param: str = "page"
):
    """The requested page of `queryset` (an out-of-range or malformed page gives the nearest valid one);
    `param` names the page's query parameter when a page has several paginated lists."""
    return paginator_for(queryset, per_page, count_scope).get_page(request.GET.get(param))


def querystring_without_page(request, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def api_page(queryset, page: int, page_size: int, out=None, count_scope: str | None = None) -> dict:
    """An API list response: `count` items in all, the `page` shown of `pages`, and its `results`
    (each item passed through `out` when given). A page past the end gives the last one."""
    paginator = paginator_for(queryset, page_size, count_scope)
    current = paginator.get_page(page)
    items = current.object_list
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [out(item) for item in items] if out is not None else list(items),
    }
