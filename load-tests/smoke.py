"""
One user, every public endpoint once, a check on every answer; quick enough for npm test.
The run fails (exit 3) when any check failed.

    locust -f load-tests/smoke.py --headless --host http://127.0.0.1:8080
"""

import uuid
from urllib.parse import quote

import gevent
from locust import task
from locust.exception import StopUser

from lib.journey import ADDRESS, ShopUser, body
from lib.shop import Shop
from lib.verdict import decide_by

Shop.require(customers=1, products=1)
decide_by(flows=[], every_check=True)


class SmokeUser(ShopUser):
    @task
    def every_endpoint_once(self) -> None:
        customer = self.shop["customers"][0]
        product = self.shop["stocked"][0]
        # Operations.
        self.call("GET", "/health", "browse", "gateway health")
        self.call("GET", "/health/live", "browse", "gateway live")
        self.call("GET", "/health/ready", "browse", "gateway ready")
        self.call("GET", "/docs/openapi.json", "browse", "openapi document")
        # Sign-in, token rotation, the profile.
        self.call("GET", "/api/auth/jwks", "auth", "jwks")
        tokens = body(self.call("POST", "/api/auth/login", "auth", "login", payload=customer)) or {}
        tokens = body(
            self.call("POST", "/api/auth/refresh", "auth", "refresh", payload={"refreshToken": tokens.get("refreshToken")})
        ) or {}
        token = tokens.get("accessToken")
        self.call("GET", "/api/users/me", "auth", "profile", token=token)
        self.call("PATCH", "/api/users/me", "auth", "edit profile", token=token, payload={"name": "Smoke Shopper"})
        # The catalog.
        self.call("GET", "/api/products?limit=5", "browse", "list products")
        self.call("GET", f"/api/products/{product}", "browse", "product page")
        self.call("GET", f"/api/products?q={quote(self.shop['terms'][0])}&limit=5", "search", "search")
        self.call("GET", "/api/categories", "browse", "categories")
        self.call("GET", f"/api/products/{uuid.uuid4()}", "browse", "unknown product", expected=(404,))
        # Cart and checkout, with an Idempotency-Key for the attempt.
        self.call("PUT", f"/api/cart/items/{product}", "cart", "add to cart", token=token, payload={"quantity": 2})
        self.call("DELETE", f"/api/cart/items/{product}", "cart", "remove from cart", token=token)
        self.call("DELETE", "/api/cart", "cart", "empty cart", expected=(204,), token=token)
        self.call("PUT", f"/api/cart/items/{product}", "cart", "add to cart", token=token, payload={"quantity": 1})
        self.call("GET", "/api/cart", "cart", "view cart", token=token)
        order = body(
            self.call(
                "POST",
                "/api/orders",
                "checkout",
                "place order",
                expected=(201, 202),
                token=token,
                headers={"idempotency-key": str(uuid.uuid4())},
                payload={"shippingAddress": ADDRESS, "payment": {"token": "tok_visa"}},
            )
        ) or {}
        order_id = order.get("id", "missing")
        self.call("GET", "/api/orders", "checkout", "my orders", token=token)
        self.call("GET", f"/api/orders/{order_id}", "checkout", "order", token=token)
        self.call("GET", f"/api/payments?orderId={order_id}", "checkout", "payments", token=token)
        self.call("POST", f"/api/orders/{order_id}/cancel", "checkout", "cancel order", token=token)
        self.call("GET", "/api/notifications", "checkout", "notifications", token=token)
        # Sign out.
        self.call(
            "POST", "/api/auth/logout", "auth", "logout", expected=(204,), payload={"refreshToken": tokens.get("refreshToken")}
        )
        # Once is the whole run: stop Locust (from another greenlet, as this one is a user it stops).
        gevent.spawn(self.environment.runner.quit)
        raise StopUser()
