"""Filter forms offer what exists: a choice list narrowed to the values found in the list being
filtered (countries of the organisations listed, languages of the courses offered), each with its
count, instead of every country or ISO language of the world.

Only the displayed options change: any valid value still validates (a bookmarked search for a country
that has no record now gives an empty list, not a form error), and the chosen value stays listed.
"""

from django.db.models import Count

from clusterxchange.core.cached_counts import cached


class OffersWhatExists:
    """FilterSet mixin: `present = {"filter name": "lookup on the filtered queryset"}` (a filter the
    FilterSet left out for this list is skipped). With `present_scope`, the counts come from the cache
    while that scope's data is unchanged (`core.cached_counts`): over a directory of 100,000
    organisations the GROUP BY costs about 50 ms on every page."""

    present: dict[str, str] = {}
    present_scope: str | None = None

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_offers_what_exists", False):
            self._offers_what_exists = True
            for name, lookup in self.present.items():
                if name in form.fields:
                    offer_present(form, name, self.queryset, lookup, scope=self.present_scope)
        return form


def offer_present(form, name: str, queryset, lookup: str, scope: str | None = None) -> None:
    """Narrow the options of `form.fields[name]` to the values of `lookup` in `queryset`, with counts
    (kept in the cache while `scope`'s data is unchanged, when a scope is given)."""
    field = form.fields[name]
    grouped = (
        queryset.order_by()
        .values_list(lookup)
        .annotate(count=Count("pk", distinct=True))
        .values_list(lookup, "count")
    )

    def count_values():
        return {str(value): count for value, count in grouped if value not in (None, "")}

    if scope is None:
        counts = count_values()
    else:
        sql, params = grouped.query.sql_with_params()
        counts = cached(scope, ("present", grouped.db, sql, params), count_values)
    chosen = str(form.data.get(name, "")) if form.is_bound else ""
    options = []
    for value, label in field.choices:
        key = "" if value is None else str(value)
        if key == "":
            options.append((value, label))
        elif key in counts:
            options.append((value, f"{label} ({counts[key]})"))
        elif key == chosen:
            options.append((value, label))
    field.widget.choices = options
