"""Form widgets shared by the apps."""

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from clusterxchange.core.cached_counts import cached


class FastSelect(forms.Select):
    """A `<select>` rendered in Python instead of one template per `<option>`.

    Django builds a context dict per option and renders each through `select_option.html`; a
    filter form with the countries (~250) and the NACE codes (~110) spent most of the directory
    search page's time there under load. Same markup and attributes, optgroups kept, and like
    Django's single select only the first option with the value is selected.

    With `data_scope` (and a shared cache, `settings.CACHED_COUNTS`), choices read from the
    database (the NACE codes, the clusters) are kept in the cache while that scope's data version
    is unchanged (see `core/cached_counts.py`): the same exactness as the cached counts, without
    a query and ~150 model instances per render.
    """

    def __init__(self, attrs=None, choices=(), *, data_scope: str | None = None):
        super().__init__(attrs, choices)
        self.data_scope = data_scope

    def _choices_to_render(self):
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if self.data_scope is None or queryset is None or not settings.CACHED_COUNTS:
            return choices
        field = choices.field
        sql, params = queryset.query.sql_with_params()
        identity = (
            "choices",
            type(field).__qualname__,
            field.to_field_name,
            str(field.empty_label),
            str(getattr(field, "null_label", None)),
            get_language(),
            queryset.db,
            sql,
            params,
        )
        return cached(
            self.data_scope,
            identity,
            lambda: [(str(option_value), str(label)) for option_value, label in choices],
        )

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        marked = False

        def option(option_value, label) -> str:
            nonlocal marked
            key = "" if option_value is None else str(option_value)
            is_selected = key in selected and (self.allow_multiple_selected or not marked)
            marked = marked or is_selected
            mark = " selected" if is_selected else ""
            return f'<option value="{conditional_escape(key)}"{mark}>{conditional_escape(label)}</option>'

        parts = []
        for option_value, label in self._choices_to_render():
            if isinstance(label, (list, tuple)):
                inner = "".join(option(value, text) for value, text in label)
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe("".join(parts)),  # noqa: S308 - every value and label escaped above  # nosec B308 B703
        )
