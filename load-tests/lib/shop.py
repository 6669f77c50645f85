"""
The shop a run needs, made through the public API before traffic starts:
customers who signed up (each user logs in as one of them, keeping its own token family),
products of the run's own with stock enough that checkouts measure the system rather than
sell-outs, ids from the seeded catalog for browsing, and search terms from product names.

Its requests go through urllib, not a Locust client, so they count toward no group's SLO
and appear in no statistics. Every process that runs users prepares its own shop once
(a worker of a distributed run has customers of its own); the master runs no users.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

import gevent
from locust import events
from locust.runners import MasterRunner

from .settings import ADMIN_EMAIL, ADMIN_PASSWORD, GATEWAY, number

log = logging.getLogger("surge.shop")


class SetupError(Exception):
    pass


def _api(method: str, path: str, body=None, token: str | None = None, expected=(200,)):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{GATEWAY}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as res:
            status, text = res.status, res.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    except OSError as error:
        raise SetupError(f"{method} {GATEWAY}{path}: {error}") from error
    if status not in expected:
        raise SetupError(f"{method} {path} answered {status}: {text[:300]!r}")
    return json.loads(text) if text else None


def prepare_shop(customers: int, products: int) -> dict:
    run = uuid.uuid4().hex[:8]
    admin = _api("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    stocked = []
    for i in range(products):
        created = _api(
            "POST",
            "/api/products",
            {
                "sku": f"LOAD-{run}-{i}",
                "name": f"Load item {i}",
                "description": "Stock for a load run",
                "category": "load",
                "priceCents": 1500 + i * 100,
                "stock": 1_000_000,
            },
            token=admin["accessToken"],
            expected=(201,),
        )
        stocked.append(created["id"])
    catalog, cursor = [], None
    for _ in range(3):
        query = "limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = _api("GET", f"/api/products?{query}")
        catalog.extend(page["items"])
        cursor = page.get("nextCursor")
        if not cursor:
            break
    words = []
    for item in catalog:
        for word in item["name"].split():
            if len(word) > 3 and word.lower() not in words:
                words.append(word.lower())
    people = []
    for i in range(customers):
        email, password = f"load-{run}-{i}@example.test", "a load test password"
        _api("POST", "/api/auth/register", {"email": email, "password": password, "name": f"Shopper {i}"}, expected=(201,))
        people.append({"email": email, "password": password})
    return {
        "customers": people,
        "stocked": stocked,
        "browse_ids": [item["id"] for item in catalog] or stocked,
        "categories": sorted({item["category"] for item in catalog}),
        "terms": words[:200] or ["classic"],
    }


class Shop:
    """The shop of this process, prepared at test start by whichever scenario asked for it."""

    data: dict | None = None
    failed: str | None = None
    size = {"customers": int(number("LOAD_CUSTOMERS", 20)), "products": 5}

    @classmethod
    def require(cls, customers: int | None = None, products: int | None = None) -> None:
        if customers is not None:
            cls.size["customers"] = customers
        if products is not None:
            cls.size["products"] = products


@events.test_start.add_listener
def _prepare(environment, **_kwargs) -> None:
    if isinstance(environment.runner, MasterRunner) or Shop.data is not None:
        return
    try:
        Shop.data = prepare_shop(**Shop.size)
        log.info("shop ready: %d customers, %d products of the run's own", len(Shop.data["customers"]), len(Shop.data["stocked"]))
    except SetupError as error:
        # A run without its shop measures nothing: stop, with a code of its own.
        Shop.failed = str(error)
        log.error("setup failed: %s (is the stack up at %s, and the admin's credentials right?)", error, GATEWAY)
        environment.process_exit_code = 4
        gevent.spawn_later(0.1, environment.runner.quit)


