import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterxchange.settings")
application = get_wsgi_application()

# Load the URL configuration (and with it every view and API module) when the worker starts,
# not during its first request: that import takes seconds and would stall the first visitors.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
