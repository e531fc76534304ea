"""Placeholders in a message: `{name}` replaced by the recipient's value; nothing else is evaluated
(no attribute access, no format specification), and a text with an unknown one is refused.

A sentence ends once: where a placeholder comes right before a full stop ("You left {organisation}.")
and its value ends with its own ("ACME Ltd."), the sentence leaves its stop out ("You left ACME Ltd.",
not "… Ltd.."). The sentence decides this before it is filled (`one_full_stop`), so the dots a value
has of its own ("Wait...") stay as written. The catalogues' `%(name)s` sentences follow the same rule
(`core.texts.sentence`).
"""

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def one_full_stop(text: str, values: Mapping, placeholder: re.Pattern = PLACEHOLDER) -> str:
    """`text`, not yet filled, without the full stop after each `placeholder` whose value in `values`
    already ends with one (see the module's docstring)."""

    def stop(match: re.Match) -> str:
        value = values.get(match.group(1))
        return match.group(0)[:-1] if value is not None and str(value).endswith(".") else match.group(0)

    return re.sub(f"(?:{placeholder.pattern})\\.", stop, text)


def unknown(text: str, known) -> list[str]:
    """The placeholders of `text` that are not in `known`, in order of appearance, once each."""
    found = []
    for match in PLACEHOLDER.finditer(text or ""):
        name = match.group(1)
        if name not in known and name not in found:
            found.append(name)
    return found


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each `{name}` replaced by its value (unknown ones are left as written), ending each
    sentence once (`one_full_stop`)."""
    return PLACEHOLDER.sub(
        lambda match: str(values.get(match.group(1), match.group(0))), one_full_stop(text, values)
    )
