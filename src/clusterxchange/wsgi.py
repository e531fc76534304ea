import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterxchange.settings")
application = get_wsgi_application()

# Load the URL configuration (and with it every view and API module) when the worker starts,
# not during its first request: that import takes seconds and would stall the first visitors.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# `clusterxchange serve` preloads the app in gunicorn's master and builds the directory's matching
# index there, once: the workers forked from it share it (copy-on-write) and only apply the
# changes made since, instead of each rebuilding it (seconds at 100,000 organisations) during a
# visitor's request.
if os.environ.get("CLUSTERXCHANGE_PRELOAD_MATCHING") == "1":
    import logging

    from django.db import connections

    try:
        from clusterxchange.directory.matching import directory_index

        directory_index.current()
    except Exception:  # the database may be down at start: the workers build it when asked
        logging.getLogger(__name__).warning("Could not build the matching index at start", exc_info=True)
    finally:
        connections.close_all()  # no connection may be shared with the forked workers
