"""The API's own pages (the operations are declared in each app's module)."""

from tests.security.access import E, Url

URLS = {
    "api:api-root": Url(get=E(rest="not_found")),
    "api:openapi-json": Url(get=E(rest="ok")),
    "api:openapi-view": Url(get=E(rest="ok")),
}
