from django import template
from django.template.base import render_value_in_context
from django.templatetags.i18n import BlockTranslateNode, do_block_translate
from django.utils import translation
from django.utils.safestring import SafeString

from clusterxchange.core.dates import date_range
from clusterxchange.core.engine_messages import applied_rule_text, engine_message
from clusterxchange.core.money import money
from clusterxchange.core.texts import sentence

register = template.Library()


@register.filter(name="engine_message")
def engine_message_filter(item) -> str:
    """`{{ reason|engine_message }}`: an engine's reason in the page's language."""
    return engine_message(item)


@register.filter(name="applied_rule")
def applied_rule_filter(entry) -> str:
    """`{{ rule|applied_rule }}`: an applied grant rule kept on a record, in the page's language."""
    return applied_rule_text(entry)


@register.filter(name="money")
def money_filter(amount, currency: str = "EUR") -> str:
    """`{{ amount|money }}`: an amount in the page's language ("600,00 €" in German, "€600.00" in English)."""
    return money(amount, currency)


@register.filter(name="date_range")
def date_range_filter(start, end=None) -> str:
    """`{{ start|date_range:end }}`: a span of days in the page's language, one date for a single day."""
    return date_range(start, end)


class SentenceNode(BlockTranslateNode):
    """Django's `blocktranslate`, filled with `core.texts.sentence`: a sentence ending on a name with its
    own full stop ends once ("You are a member of ACME Ltd."). A plural or a context goes to Django's."""

    def render(self, context, nested=False):
        if self.plural or self.message_context:
            return super().render(context, nested)
        message, names = self.render_token_list(self.singular)
        with context.push(**{name: value.resolve(context) for name, value in self.extra_context.items()}):
            values = {name: render_value_in_context(context.get(name, ""), context) for name in names}
        # As Django's: the values are escaped above, the sentence is the catalogue's.
        result = SafeString(sentence(translation.gettext(message), **values))  # nosec B703
        if self.asvar:
            context[self.asvar] = result
            return ""
        return result


@register.tag("blocktranslate")
def sentence_translate(parser, token):
    """`{% load i18n cx_i18n %}` makes a template's `{% blocktranslate %}` end its sentences once
    (`SentenceNode`); makemessages reads it as Django's."""
    node = do_block_translate(parser, token)
    return SentenceNode(
        node.extra_context,
        node.singular,
        node.plural,
        node.countervar,
        node.counter,
        node.message_context,
        node.trimmed,
        node.asvar,
        node.tag_name,
    )
