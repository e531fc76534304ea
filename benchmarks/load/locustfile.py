"""Mixed public and logged-in traffic for `benchmarks/load/run.py` (locust, headless).

Reads the sessions and names written by `benchmarks.load.generate` from $LOAD_USERS. Every request
carries `X-Forwarded-Proto: https`, as the reverse proxy in front of gunicorn would.
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

USERS = json.loads(Path(os.environ["LOAD_USERS"]).read_text())
QUERIES = [
    "sensor",
    "battery",
    "software",
    "robot",
    "laser",
    "hydrogen",
    "textile",
    "cyber",
    "printed electronics",
    "logistics",
    "food",
    "tourism",
    "medical devices",
    "recycling plastics",
    "dresden",
    "bilbao",
    "semiconductor",
    "ai",
    "packaging",
    "wind",
]
COUNTRIES = ["", "", "DE", "FR", "ES", "PL"]
PROXY = {"X-Forwarded-Proto": "https"}


class Visitor(HttpUser):
    """The public: directory search, organisation pages, event pages."""

    weight = 5
    wait_time = between(0.5, 2)

    @task(5)
    def directory_search(self):
        query, country = random.choice(QUERIES), random.choice(COUNTRIES)
        self.client.get(
            "/directory/", params={"q": query, "country": country}, headers=PROXY, name="directory search"
        )

    @task(1)
    def directory_browse(self):
        self.client.get(
            "/directory/", params={"page": random.randint(1, 50)}, headers=PROXY, name="directory browse"
        )

    @task(4)
    def organisation(self):
        slug = random.choice(USERS["organisations"])
        self.client.get(f"/directory/organisations/{slug}/", headers=PROXY, name="organisation page")

    @task(2)
    def event(self):
        self.client.get(f"/events/{random.choice(USERS['events'])}/", headers=PROXY, name="event page")


class Participant(HttpUser):
    """A logged-in participant of the 2,000-participant event: agenda and directory."""

    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.cookies.set("sessionid", random.choice(USERS["participants"]))

    @task(4)
    def agenda(self):
        self.client.get(f"/events/{USERS['event']}/agenda/", headers=PROXY, name="agenda page")

    @task(2)
    def directory_search(self):
        self.client.get(
            "/directory/",
            params={"q": random.choice(QUERIES)},
            headers=PROXY,
            name="directory search (logged in)",
        )


class Manager(HttpUser):
    """A partner cluster manager working through the exchanges."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set("sessionid", random.choice(USERS["managers"]))

    @task
    def exchanges(self):
        self.client.get("/exchanges/", headers=PROXY, name="exchanges list (manager)")


class ApiClient(HttpUser):
    """A script searching the directory through the API with a token."""

    weight = 1
    wait_time = between(0.5, 2)

    @task
    def search(self):
        self.client.get(
            "/api/organisations",
            params={"q": random.choice(QUERIES), "page_size": 20},
            headers={**PROXY, "Authorization": f"Bearer {USERS['token']}"},
            name="API search (token)",
        )
