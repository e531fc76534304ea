"""The programme's public texts in the reader's language (Programme.public_texts): `{% public_name programme %}`
and `{% public_description programme %}`. A text shown in another language than the page's (not written in
the reader's yet) carries its `lang`, so that screen readers and translators read it right."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

register = template.Library()


def _in_language(text: str, language: str):
    return format_html('<span lang="{}">{}</span>', language, text) if language else text


@register.simple_tag
def public_name(programme) -> str:
    if programme is None:
        return ""
    texts = programme.public_texts()
    return _in_language(texts.name, texts.name_lang)


@register.simple_tag
def public_description(programme) -> str:
    """The description as paragraphs; nothing when it is written in none of the programme's languages."""
    texts = programme.public_texts() if programme is not None else None
    if texts is None or not texts.description:
        return ""
    paragraphs = linebreaks_filter(texts.description, autoescape=True)
    if not texts.description_lang:
        return paragraphs
    return format_html('<div lang="{}">{}</div>', texts.description_lang, paragraphs)
