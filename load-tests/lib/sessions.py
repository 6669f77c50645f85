"""
Customers who arrive signed in: the capacity step's realistic crowd (black-friday-step.py,
LOAD_SESSIONS=signed-in). A Black Friday shopper mostly comes back with a session (a
refresh token) from an earlier visit; only a share logs in with a password (a new device,
a session that expired, a first purchase). So the step signs customers in before its
traffic, outside the measured window, and its cart and checkout visits take one of those
sessions, use it, refresh it when it runs out, and hand it back.

A session is held by one visit at a time: two visits rotating the same refresh token would
be a reuse, which revokes the whole family. The pool is sized to the visits that hold one
at once (cart and checkout visits last a few seconds), not to the crowd: signing in a
session per Locust user would cost the step a minute of scrypt before its first arrival.
"""

import math
import random
from collections import deque

import gevent
from gevent.pool import Pool

from .settings import number
from .shop import SetupError, _api

# Sessions signed in before the step per visit/s asked, at least MIN_SESSIONS: a cart or
# checkout visit (15% of visits) holds one for about 2-4 s, so 0.15 * 4 = 0.6 per visit/s
# are held at once; the rest is slack. A visit that finds the pool empty logs in (counted).
SESSIONS_PER_RATE = 0.75
MIN_SESSIONS = 10
# Logins at once while signing the pool in: the user service derives 2 per instance at a time.
SIGN_IN_CONCURRENCY = 4
SIGN_IN_ATTEMPTS = 3


def session_count(rate: float, override: float = 0) -> int:
    """How many sessions to sign in before a step at `rate` visits/s (LOAD_SESSIONS_SIGNED_IN overrides)."""
    if override > 0:
        return int(override)
    return max(MIN_SESSIONS, math.ceil(rate * SESSIONS_PER_RATE))


def logs_in_with_password(share: float, roll: float | None = None) -> bool:
    """Whether this cart or checkout visitor logs in with a password rather than arriving signed in."""
    return (random.random() if roll is None else roll) < share


class SessionPool:
    """Signed-in sessions waiting for a visit; each one is held by one visit at a time."""

    def __init__(self, sessions=()) -> None:
        self._free = deque(sessions)

    def __len__(self) -> int:
        return len(self._free)

    def take(self):
        """A session no other visit holds, or None when every one is in use."""
        return self._free.popleft() if self._free else None

    def give_back(self, session) -> None:
        """Back for the next visit; a session that was lost (a failed refresh) is None and stays out."""
        if session is not None:
            self._free.append(session)


def sign_in(customers: list[dict], count: int, now: float) -> list[dict]:
    """Logs `count` sessions in, round robin over the customers (a customer may hold several families)."""
    if not customers:
        raise SetupError("no customers to sign in")

    def one(index: int) -> dict:
        # A login the gateway gave up on (a stack still busy with the last step's hashing)
        # is tried again: the sign-in is outside the measured window, and a step that
        # could not sign its crowd in measures nothing.
        for attempt in range(SIGN_IN_ATTEMPTS):
            try:
                tokens = _api("POST", "/api/auth/login", customers[index % len(customers)])
                return {**tokens, "expires_at": now + tokens["expiresIn"]}
            except SetupError:
                if attempt == SIGN_IN_ATTEMPTS - 1:
                    raise
                gevent.sleep(2 * (attempt + 1))
        raise SetupError("unreachable")

    pool = Pool(SIGN_IN_CONCURRENCY)
    jobs = [pool.spawn(one, index) for index in range(count)]
    gevent.joinall(jobs)
    failed = next((job.exception for job in jobs if job.exception is not None), None)
    if failed is not None:
        raise failed if isinstance(failed, SetupError) else SetupError(str(failed))
    return [job.value for job in jobs]


LOGIN_SHARE = number("LOAD_LOGIN_SHARE", 0.1)
if LOGIN_SHARE > 1:
    raise SystemExit(f"LOAD_LOGIN_SHARE={LOGIN_SHARE} is a share of cart and checkout visits, at most 1")
