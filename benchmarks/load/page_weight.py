"""Page weight: what a first visit downloads for each page, HTML + CSS + JS, gzip-compressed (images,
fonts and data files such as the map are left out), and the median over a list of demo pages.

    python -m benchmarks.load.page_weight http://127.0.0.1:8000 [--login EMAIL --password PW]

Runs against a running site (the demo: `clusterxchange demo`); stdlib only.
"""

import argparse
import gzip
import re
import statistics
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

PAGES = [
    "/",
    "/directory/",
    "/directory/clusters/",
    "/directory/opportunities/",
    "/events/",
    "/events/silicon-saxony-day-2023/",
    "/training/",
    "/news/",
    "/exchanges/",
    "/events/silicon-saxony-day-2023/schedule/",
    "/reporting/",
]
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def opener_for(base: str, login: str | None, password: str | None):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    if login:
        page = opener.open(base + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"login": login, "password": password, "csrfmiddlewaretoken": token})
        url = base + "/accounts/login/"  # the site measured, given by the operator
        request = urllib.request.Request(url, data=data.encode(), headers={"Referer": base})  # noqa: S310
        opener.open(request).read()
    return opener


def weight(opener, base: str, path: str, assets: dict[str, int]) -> tuple[int, int]:
    """(compressed HTML bytes, compressed bytes of the page's CSS and JS)."""
    html = opener.open(base + path).read()
    total_assets = 0
    for url in ASSET.findall(html.decode()):
        url = urllib.parse.urljoin(base + path, url.replace("&amp;", "&"))
        if url not in assets:
            assets[url] = len(gzip.compress(opener.open(url).read(), 6))
        total_assets += assets[url]
    return len(gzip.compress(html, 6)), total_assets


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--login")
    parser.add_argument("--password")
    args = parser.parse_args(argv)
    opener = opener_for(args.base.rstrip("/"), args.login, args.password)
    assets: dict[str, int] = {}
    totals = []
    for path in PAGES:
        try:
            html, css_js = weight(opener, args.base.rstrip("/"), path, assets)
        except urllib.error.HTTPError as error:
            print(f"{path:48} {error.code}")
            continue
        totals.append(html + css_js)
        print(
            f"{path:48} HTML {html / 1000:6.1f} kB  CSS+JS {css_js / 1000:6.1f} kB  total {(html + css_js) / 1000:6.1f} kB"
        )
    print(f"median of {len(totals)} pages: {statistics.median(totals) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
