"""The site's frame, above every app: the home page and the public programme pages, the main menu and
what every page's template gets (docs/architecture.md, "Apps"). Not a Django app: no models; its
templates are the project's (`templates/news/site/`, `templates/base.html`)."""
