from django import template

from clusterxchange.core.engine_messages import engine_message

register = template.Library()


@register.filter(name="engine_message")
def engine_message_filter(item) -> str:
    """`{{ reason|engine_message }}`: an engine's reason in the page's language."""
    return engine_message(item)
