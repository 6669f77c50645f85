"""schemathesis hooks of `npm run fuzz` (loaded through SCHEMATHESIS_HOOKS by the runner,
infra/stack/src/fuzz/run-schemathesis.ts).

Some rules of the API are stated in its document but no JSON Schema can express them, so a
generator that only reads schemas breaks them with requests the schema allows:

- a `cursor` is opaque: only a `nextCursor` the API handed out is one (it checks each one,
  and a product cursor belongs to the filters that produced it);
- a payment `token` names a card the payment provider holds: a client has only the tokens its
  provider issued (the bundled simulator's `tok_visa` approves, `tok_decline` declines), and
  one it made up is refused, as a cursor is;
- an `Idempotency-Key` sent again with another body is a 422 (the IETF Idempotency-Key
  draft): a real client makes a fresh key for each new request;
- a sign-in needs an account's email and password, a refresh token is good once, and the
  provider knows only the charges it was asked for: made-up ones are refused, and those
  operations' 200 answers were never reached;
- two values that must agree with each other: `minPrice` not above `maxPrice`, each product
  at most once in an order's `items` (JSON Schema compares whole items, not a field), and the
  payment service's charge keyed by its order (`Idempotency-Key` equal to the body's `orderId`).

So, before each call, a schema-valid request is made into what a real client would send: a
fresh key, the `nextCursor` of the first page of the same query, the simulator's approving
token, the price bounds in order, one line per product, in every other sign-in and refresh
the run's own customer and a live refresh token, and in every other charge lookup of the
provider a charge it holds (the other cases stay made up, so the 401 and 404 answers are
fuzzed too). Values the schema refuses are left alone (they are the negative tests), and
schemathesis revalidates the case after a `before_call` hook, so each case is judged by
what was actually sent. Nothing else is touched: every other answer stands as the API
gives it.
"""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

import jsonschema_rs
import requests
import schemathesis

BASE_URL = os.environ.get("SURGE_FUZZ_BASE_URL", "")
# The Authorization the first pages are read with: the same as the fuzzed calls (the runner's).
AUTHORIZATION = os.environ.get("SURGE_FUZZ_AUTHORIZATION", "")
RUN = uuid.uuid4().hex[:8]

_session = requests.Session()
# First-page cursors by (path, the other query parameters as sent).
_cursors: dict[tuple[str, tuple[tuple[str, str], ...]], str | None | bool] = {}
_keys = 0


def _schema_of(case: Any, location: str, name: str) -> dict[str, Any] | None:
    parameters = {
        "header": case.operation.headers,
        "query": case.operation.query,
        "path": case.operation.path_parameters,
    }[location]
    for parameter in parameters:
        if parameter.name.lower() == name.lower():
            schema = parameter.definition.get("schema")
            return schema if isinstance(schema, dict) else None
    return None


def _is_valid(schema: dict[str, Any] | None, value: Any) -> bool:
    if schema is None:
        return False
    try:
        return jsonschema_rs.validator_for(schema).is_valid(value)
    except Exception:  # a schema the validator cannot compile: leave the value as generated
        return False


def _header_name(headers: dict[str, Any], name: str) -> str | None:
    return next((key for key in headers if key.lower() == name.lower()), None)


# Operations whose Idempotency-Key must be a field of the body (the charge of one order).
KEY_IS_BODY_FIELD = {"chargePayment": "orderId"}


def _fresh_idempotency_key(case: Any) -> None:
    headers = case.headers or {}
    name = _header_name(headers, "Idempotency-Key")
    if name is None or not _is_valid(_schema_of(case, "header", "Idempotency-Key"), headers[name]):
        return
    field = KEY_IS_BODY_FIELD.get(case.operation.definition.raw.get("operationId", ""))
    if field is not None:
        body = case.body
        if isinstance(body, dict) and isinstance(body.get(field), str):
            # A new order each time, charged under its own id, as the order service does.
            body[field] = str(uuid.uuid4())
            case.body = body
            headers[name] = body[field]
            case.headers = headers
        return
    global _keys
    _keys += 1
    # Visible ASCII, 8..255 characters like any valid key, and never sent before: this run's
    # id and a counter (two runs against one stack must not share keys either).
    headers[name] = f"fuzz-{RUN}-{_keys}"
    case.headers = headers


def _as_wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_as_wire(item) for item in value]
    return value if isinstance(value, str) else str(value)


def _first_page_cursor(case: Any, others: dict[str, Any]) -> str | None | bool:
    """The `nextCursor` of the first page of this query, None for a last page, False when refused."""
    params = {name: _as_wire(value) for name, value in others.items() if name != "limit"}
    key = (case.operation.path, tuple(sorted((name, repr(value)) for name, value in params.items())))
    if key in _cursors:
        return _cursors[key]
    headers = {"Authorization": AUTHORIZATION} if AUTHORIZATION else {}
    answer = _session.get(
        f"{BASE_URL}{case.operation.path}", params={**params, "limit": "1"}, headers=headers, timeout=30
    )
    if answer.status_code != 200:
        # The other parameters are refused (a negative case: kept), or a 429 (asked again next
        # time): either way this request fails on them, whatever its cursor.
        if answer.status_code == 400:
            _cursors[key] = False
        return False
    cursor = answer.json().get("nextCursor")
    _cursors[key] = cursor if isinstance(cursor, str) else None
    return _cursors[key]


def _real_cursor(case: Any) -> None:
    query = case.query or {}
    if "cursor" not in query or not _is_valid(_schema_of(case, "query", "cursor"), query["cursor"]):
        return
    others = {name: value for name, value in query.items() if name != "cursor"}
    cursor = _first_page_cursor(case, others)
    if cursor is False:
        return
    if cursor is None:
        # This query has one page: its only valid request is the first page.
        del query["cursor"]
    else:
        query["cursor"] = cursor
    case.query = query


# Where each operation's body holds the payment token, and what its document says a valid
# one looks like (the public API: `^tok_[A-Za-z0-9_]{1,60}$`; the payment service and the
# provider pass any token of 1..200 characters on).
TOKEN_PATH = {"placeOrder": ("payment", "token"), "chargePayment": ("token",), "createCharge": ("token",)}
PAYMENT_TOKEN = {
    "placeOrder": re.compile(r"tok_[A-Za-z0-9_]{1,60}"),
    "chargePayment": re.compile(r".{1,200}", re.DOTALL),
    "createCharge": re.compile(r".{1,200}", re.DOTALL),
}


def _issued_payment_token(case: Any) -> None:
    operation_id = case.operation.definition.raw.get("operationId", "")
    path = TOKEN_PATH.get(operation_id)
    holder = case.body
    for name in (path or ())[:-1]:
        holder = holder.get(name) if isinstance(holder, dict) else None
    if path is None or not isinstance(holder, dict):
        return
    token = holder.get(path[-1])
    if isinstance(token, str) and PAYMENT_TOKEN[operation_id].fullmatch(token):
        holder[path[-1]] = "tok_visa"
        case.body = case.body


def _ordered_price_range(case: Any) -> None:
    query = case.query or {}
    low, high = query.get("minPrice"), query.get("maxPrice")
    if low is None or high is None:
        return
    if not (
        _is_valid(_schema_of(case, "query", "minPrice"), _as_number(low))
        and _is_valid(_schema_of(case, "query", "maxPrice"), _as_number(high))
    ):
        return
    if int(low) > int(high):
        query["minPrice"], query["maxPrice"] = high, low
        case.query = query


def _as_number(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _one_line_per_product(case: Any) -> None:
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return
    lines = body["items"]
    if not all(isinstance(line, dict) for line in lines):
        return
    seen: set[Any] = set()
    kept = []
    for line in lines:
        product = line.get("productId")
        if isinstance(product, str):
            if product in seen:
                continue
            seen.add(product)
        kept.append(line)
    if len(kept) != len(lines):
        body["items"] = kept
        case.body = body


# The run's own customer (registered by the runner): a made-up email and password name no
# account, so every sign-in and every refresh answered 401 and their 200 was never reached.
CUSTOMER = {
    "email": os.environ.get("SURGE_FUZZ_EMAIL", ""),
    "password": os.environ.get("SURGE_FUZZ_PASSWORD", ""),
}
_signed_cases = 0


def _is_string_within(value: Any, least: int, most: int) -> bool:
    return isinstance(value, str) and least <= len(value) <= most


def _sign_in() -> dict[str, Any] | None:
    answer = _session.post(f"{BASE_URL}/api/auth/login", json=CUSTOMER, timeout=30)
    return answer.json() if answer.status_code == 200 else None


def _real_credentials(case: Any) -> None:
    """Every other schema-valid sign-in as the run's customer, every other refresh with a live
    token: the rest keep what was generated, so the 401 answers are fuzzed too."""
    global _signed_cases
    body = case.body
    operation_id = case.operation.definition.raw.get("operationId", "")
    if not CUSTOMER["email"] or not isinstance(body, dict):
        return
    if operation_id == "login":
        # LoginRequest: exactly email (at most 254) and password (at most 1,024).
        if set(body) != {"email", "password"} or not (
            _is_string_within(body["email"], 0, 254) and _is_string_within(body["password"], 0, 1024)
        ):
            return
        _signed_cases += 1
        if _signed_cases % 2 == 0:
            case.body = dict(CUSTOMER)
    elif operation_id == "refresh":
        # RefreshRequest: exactly refreshToken, 1..512. Each token is good once, so each case
        # that gets a live one gets it from a sign-in of its own.
        if set(body) != {"refreshToken"} or not _is_string_within(body["refreshToken"], 1, 512):
            return
        _signed_cases += 1
        if _signed_cases % 2 == 0:
            pair = _sign_in()
            if pair and isinstance(pair.get("refreshToken"), str):
                case.body = {"refreshToken": pair["refreshToken"]}


_charges = 0


def _known_charge(case: Any) -> None:
    """Every other schema-valid charge lookup asks for a charge the provider holds: a made-up
    key is always 404, and schemathesis warned that the lookup never reached its 200."""
    global _charges
    params = case.path_parameters or {}
    key = params.get("idempotencyKey")
    if not _is_valid(_schema_of(case, "path", "idempotencyKey"), key):
        return
    _charges += 1
    if _charges % 2 == 1:
        return
    fresh = f"fuzz-{RUN}-charge-{_charges}"
    answer = _session.post(
        f"{BASE_URL}/v1/charges",
        json={"amountCents": 100, "currency": "USD", "token": "tok_visa"},
        headers={"Idempotency-Key": fresh},
        timeout=30,
    )
    if answer.status_code == 201:
        params["idempotencyKey"] = fresh
        case.path_parameters = params


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    _issued_payment_token(case)
    if case.method.upper() == "POST" and case.path in ("/api/auth/login", "/api/auth/refresh"):
        _real_credentials(case)
    if case.method.upper() == "GET" and case.path == "/v1/charges/{idempotencyKey}":
        _known_charge(case)
    if case.method.upper() == "POST" and case.path == "/api/orders":
        _one_line_per_product(case)
    if case.method.upper() == "GET" and case.path == "/api/products":
        _ordered_price_range(case)
    if any(parameter.name.lower() == "idempotency-key" for parameter in case.operation.headers):
        _fresh_idempotency_key(case)
    if case.method.upper() == "GET" and any(parameter.name == "cursor" for parameter in case.operation.query):
        _real_cursor(case)
