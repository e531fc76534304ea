"""What waits for a person across the apps (`gathering`), for the site's pages and the API (`api`).
Not a Django app (no models): it sits above every app and below `site` and `api`
(docs/architecture.md, "Apps and the order of their imports")."""
