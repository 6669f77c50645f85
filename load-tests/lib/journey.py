"""
The customer's journey, written once: every scenario's users are ShopUsers. A user is one
customer at a time, logged in once and refreshing its own tokens, so two users never
rotate the same refresh token (reuse would revoke the family). Every request is tagged
with its group (flow: browse, search, cart, checkout, auth) and checked against the
statuses the public API promises for it; any other answer, or none, is a failure.
"""

import itertools
import json
import random
import time
import uuid
from urllib.parse import quote

import gevent
from locust import FastHttpUser

from .settings import GATEWAY, THINK_SCALE
from .shop import Shop

ADDRESS = {
    "name": "Ada Shopper",
    "line1": "1 Market St",
    "city": "Springfield",
    "postalCode": "12345",
    "country": "US",
}

_numbers = itertools.count()


def think(low: float = 0.5, high: float = 2.0) -> None:
    """A customer pausing to read: uniform in [low, high] seconds, times LOAD_THINK_SCALE."""
    if THINK_SCALE > 0:
        gevent.sleep(random.uniform(low, high) * THINK_SCALE)


def body(res):
    try:
        return res.json()
    except Exception:  # an answer that is not JSON has no body worth reading: the check failed it already
        return None


class ShopUser(FastHttpUser):
    abstract = True
    host = GATEWAY

    def on_start(self) -> None:
        while Shop.data is None:
            # Setup failed (shop.py logged why and is stopping the run): wait to be stopped.
            gevent.sleep(1)
        self.shop = Shop.data
        self.number = next(_numbers)
        self.session: dict | None = None

    def call(self, method, path, flow, name, expected=(200,), payload=None, token=None, headers=None):
        """One request with a check on its answer, counted under `flow`."""
        all_headers = dict(headers or {})
        if payload is not None:
            all_headers["content-type"] = "application/json"
        if token:
            all_headers["authorization"] = f"Bearer {token}"
        with self.client.request(
            method,
            path,
            name=f"{flow}: {name}",
            data=None if payload is None else json.dumps(payload),
            headers=all_headers,
            catch_response=True,
            context={"flow": flow},
        ) as res:
            if res.status_code in expected:
                res.success()
            else:
                res.failure(f"{name} answered {res.status_code}, expected {'|'.join(map(str, expected))}")
        return res

    # --- the customer's session ---------------------------------------------------------

    def _keep(self, res) -> str | None:
        tokens = body(res) if res.status_code == 200 else None
        self.session = (
            {**tokens, "expires_at": time.time() + tokens["expiresIn"]} if tokens and "accessToken" in tokens else None
        )
        return self.session["accessToken"] if self.session else None

    def login(self) -> str | None:
        customers = self.shop["customers"]
        customer = customers[self.number % len(customers)]
        res = self.call("POST", "/api/auth/login", "auth", "login", payload=customer)
        return self._keep(res)

    def refresh(self) -> str | None:
        """Rotates the refresh token, as a client does when its access token runs out."""
        if not self.session:
            return None
        res = self.call(
            "POST", "/api/auth/refresh", "auth", "refresh", payload={"refreshToken": self.session["refreshToken"]}
        )
        return self._keep(res)

    def access_token(self) -> str | None:
        """Logs in on first use, refreshes when the token is about to expire."""
        if self.session and self.session["expires_at"] - time.time() > 30:
            return self.session["accessToken"]
        return (self.session and self.refresh()) or self.login()

    # --- what a visitor does -------------------------------------------------------------

    def browse(self) -> None:
        """A product list (sometimes a category), a product page, now and then the categories."""
        shop = self.shop
        category = ""
        if random.random() < 0.3 and shop["categories"]:
            category = f"&category={quote(random.choice(shop['categories']))}"
        self.call("GET", f"/api/products?limit=20{category}", "browse", "list products")
        think()
        self.call("GET", f"/api/products/{random.choice(shop['browse_ids'])}", "browse", "product page")
        if random.random() < 0.3:
            think()
            self.call("GET", "/api/categories", "browse", "categories")

    def search(self) -> None:
        """A search by a word from the catalog, then a look at one hit."""
        term = random.choice(self.shop["terms"])
        hits = body(self.call("GET", f"/api/products?q={quote(term)}&limit=10", "search", "search"))
        if hits and hits.get("items"):
            think()
            self.call("GET", f"/api/products/{random.choice(hits['items'])['id']}", "search", "product page")

    def cart(self) -> None:
        """A signed-in customer puts something in the cart and looks at it."""
        token = self.access_token()
        if not token:
            return
        product = random.choice(self.shop["stocked"])
        self.call(
            "PUT", f"/api/cart/items/{product}", "cart", "add to cart", payload={"quantity": random.randint(1, 2)}, token=token
        )
        think()
        self.call("GET", "/api/cart", "cart", "view cart", token=token)

    def checkout(self) -> None:
        """
        A checkout of one item, with an Idempotency-Key of its own for this attempt: 201 PAID,
        or 202 PAYMENT_PENDING when the payment's outcome is not known yet (both are answers
        the contract promises).
        """
        token = self.access_token()
        if not token:
            return
        self.call(
            "POST",
            "/api/orders",
            "checkout",
            "place order",
            expected=(201, 202),
            headers={"idempotency-key": str(uuid.uuid4())},
            token=token,
            payload={
                "items": [{"productId": random.choice(self.shop["stocked"]), "quantity": 1}],
                "shippingAddress": ADDRESS,
                "payment": {"token": "tok_visa"},
            },
        )
        think()
        self.call("GET", "/api/orders?limit=5", "checkout", "my orders", token=token)

    def black_friday_visit(self) -> None:
        """One visit in the Black Friday mix: 75% browsing, 10% search, 10% cart, 5% checkout; now and then a refresh."""
        roll = random.random()
        if roll < 0.75:
            self.browse()
        elif roll < 0.85:
            self.search()
        elif roll < 0.95:
            self.cart()
        else:
            self.checkout()
        if self.session and random.random() < 0.02:
            self.refresh()
