"""Placeholders in a message: `{name}` replaced by the recipient's value; nothing else is evaluated
(no attribute access, no format specification), and a text with an unknown one is refused."""

import re

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def unknown(text: str, known) -> list[str]:
    """The placeholders of `text` that are not in `known`, in order of appearance, once each."""
    found = []
    for match in PLACEHOLDER.finditer(text or ""):
        name = match.group(1)
        if name not in known and name not in found:
            found.append(name)
    return found


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each `{name}` replaced by its value (unknown ones are left as written)."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)
