"""Pieces of the design system (docs/interface.md) that need a little logic."""

from django import template
from django.utils.html import format_html

register = template.Library()

# A status value's tone: done or agreed (ok), waiting for someone (waiting), stopped (stopped);
# anything else is neutral. Values from every app's status and state choices.
TONES = {
    "ok": {
        "accepted",
        "approved",
        "certified",
        "completed",
        "confirmed",
        "done",
        "paid",
        "published",
        "scheduled",
        "validated",
        "active",
        "held",
        "signed",
        "agreement_signed",
        "report_validated",
        "featured",
    },
    "waiting": {
        "draft",
        "pending",
        "queued",
        "requested",
        "running",
        "submitted",
        "waiting",
        "waitlisted",
        "in_progress",
        "matched",
        "report_submitted",
        "planned",
    },
    "stopped": {
        "cancelled",
        "declined",
        "expired",
        "failed",
        "no_show",
        "refused",
        "rejected",
        "withdrawn",
    },
}
TONE_OF = {value: tone for tone, values in TONES.items() for value in values}


@register.simple_tag
def status_badge(value, label) -> str:
    """`{% status_badge exchange.state exchange.get_state_display %}`: the label as a coloured badge
    (the colour repeats the words, it never replaces them)."""
    tone = TONE_OF.get(str(value), "neutral")
    return format_html('<span class="badge badge-{}">{}</span>', tone, label)
