"""Every permission declared in an app's rules.py is checked somewhere: by a domain action, a page, the
API, a template, or the admin (Django's admin asks ``app.view_model``/``add_``/``change_``/``delete_``
of each registered model). A declared rule that nothing asks is a rule nobody enforces (issue #15)."""

import re
from pathlib import Path

from django.contrib import admin

SOURCE = Path(__file__).resolve().parents[2] / "src" / "clusterxchange"
DECLARED = re.compile(r'add_perm\(\s*"([a-z_]+\.[a-z_]+)"')
MODEL_PERMISSION = re.compile(r"^(?P<app>[a-z_]+)\.(view|add|change|delete)_(?P<model>[a-z_]+)$")


def declared_permissions() -> dict[str, Path]:
    return {
        name: rules_file
        for rules_file in SOURCE.glob("*/rules.py")
        for name in DECLARED.findall(rules_file.read_text())
    }


def admin_permissions() -> set[str]:
    """The model permissions Django's admin checks: those of every registered model."""
    return {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in admin.site._registry
        for action in ("view", "add", "change", "delete")
    }


def test_every_declared_permission_is_checked():
    texts = [
        re.sub(r"add_perm\([^)]*\)", "", path.read_text())
        for path in [*SOURCE.rglob("*.py"), *SOURCE.rglob("*.html")]
    ]
    by_admin = admin_permissions()
    unchecked = [
        f"{name} ({rules_file.relative_to(SOURCE)})"
        for name, rules_file in sorted(declared_permissions().items())
        if name not in by_admin and not any(f'"{name}"' in text or f"'{name}'" in text for text in texts)
    ]
    assert not unchecked, "Declared but never checked: " + ", ".join(unchecked)
