from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API over every app (`main.py`); an app for its command `export_openapi`."""

    name = "clusterxchange.api"
    label = "api"
    verbose_name = "API"
