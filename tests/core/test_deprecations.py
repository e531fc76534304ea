"""No deprecation warning when the project's modules are imported and its URLs resolved (Django 6.0
changes URLField's default scheme: every URL form field says `assume_scheme="https"`)."""

import os
import subprocess
import sys
from pathlib import Path

from clusterxchange.programmes.forms import NewClusterPartnerForm, ProgrammeForm

SRC = Path(__file__).resolve().parents[2] / "src"
IMPORT_ALL = """
import django, importlib, pkgutil
django.setup()
import clusterxchange
for module in pkgutil.walk_packages(clusterxchange.__path__, "clusterxchange."):
    if ".migrations" not in module.name and ".engines." not in module.name and not module.name.endswith("__main__"):
        importlib.import_module(module.name)
from django.urls import get_resolver
get_resolver().url_patterns
"""


def test_importing_every_module_warns_of_no_deprecation(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "clusterxchange.settings",
        "DEBUG": "1",
        "CLUSTERXCHANGE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::DeprecationWarning",
            "-W",
            "error::PendingDeprecationWarning",
            "-c",
            IMPORT_ALL,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_website_typed_without_scheme_is_https():
    for form in (ProgrammeForm, NewClusterPartnerForm):
        assert form.base_fields["website"].clean("cluster.example") == "https://cluster.example"


def test_every_admin_url_field_assumes_https():
    """The admin builds its forms itself: each URL field there says https too (else Django 5.2 warns
    on every admin add/change page, and 6.0 would turn "cluster.example" into http://)."""
    from django.contrib import admin
    from django.db import models
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    unsure = []
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, models.URLField):
                form_field = model_admin.formfield_for_dbfield(field, request)
                if form_field is not None and form_field.assume_scheme != "https":
                    unsure.append(f"{model.__name__}.{field.name}")
    assert not unsure, unsure
