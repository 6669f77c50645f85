"""
One step of the Black Friday capacity search (npm run bench -- black-friday-capacity): the
Black Friday visit mix of black-friday.py (75% browsing, 10% search, 10% cart, 5%
checkout, with logins and token refreshes), held at LOAD_RATE visits per second for
LOAD_STEP_SECONDS. The step passes when every group meets its SLO (lib/slo.json) and the
generator kept the rate up (at most 2% of the arrivals dropped: beyond that every user
was stuck waiting on slow answers, and the rate that reached the shop was lower than
asked). The benchmark judges the step again over its measured window (after a warm-up);
this exit code is the same verdict over the whole step, for a run from the command line.

Who logs in (LOAD_SESSIONS):
  signed-in    (default) the crowd a shop sees: customers come back with a session from an
               earlier visit. Sessions are signed in before the traffic (lib/sessions.py),
               outside the measured window; a cart or checkout visit takes one, uses it and
               refreshes it, and LOAD_LOGIN_SHARE of them (default 0.1) log in with a
               password instead (a new device, an expired session, a first purchase).
  fresh-login  every Locust user is a new customer who logs in on its first cart or
               checkout visit: a step opens with a burst of logins at production scrypt
               cost, the worst case for the user service.
Either way 2% of visits refresh a token, as black-friday.py's mix does.

    LOAD_RATE                visits per second (default 20, the spike of black-friday.py's defaults)
    LOAD_STEP_SECONDS        how long the rate is held (default 60)
    LOAD_USERS               the pool of users taking arrivals (default 8 per visit/s)
    LOAD_SESSIONS            signed-in | fresh-login (default signed-in)
    LOAD_LOGIN_SHARE         signed-in: the share of cart/checkout visits that log in (default 0.1)
    LOAD_SESSIONS_SIGNED_IN  signed-in: sessions signed in before the step (default 0.75 per visit/s, at least 10)

    locust -f load-tests/black-friday-step.py --headless --host http://127.0.0.1:8080
"""

import logging
import os
import random
import time

import gevent
from locust import constant, events, task
from locust.runners import MasterRunner

from lib.arrivals import HeldStep, dispatcher
from lib.journey import ShopUser
from lib.sessions import LOGIN_SHARE, SessionPool, logs_in_with_password, session_count, sign_in
from lib.settings import number
from lib.shop import SetupError, Shop
from lib.verdict import decide_by

STEP = HeldStep(default_rate=20)
SESSIONS = os.environ.get("LOAD_SESSIONS") or "signed-in"
if SESSIONS not in ("signed-in", "fresh-login"):
    raise SystemExit(f"LOAD_SESSIONS={SESSIONS}: signed-in or fresh-login")
SIGNED_IN = SESSIONS == "signed-in"
# As black_friday_visit refreshes a held session: 2% of visits.
REFRESH_SHARE = 0.02

log = logging.getLogger("surge.sessions")
decide_by(max_dropped=STEP.max_dropped)
sessions = SessionPool()


@events.test_start.add_listener
def _sign_in(environment, **_kwargs) -> None:
    """After the shop (lib/shop.py's listener came first): the crowd's sessions, before any arrival."""
    if not SIGNED_IN or isinstance(environment.runner, MasterRunner) or Shop.data is None:
        return
    count = session_count(STEP.rate, number("LOAD_SESSIONS_SIGNED_IN", 0))
    started = time.time()
    try:
        for session in sign_in(Shop.data["customers"], count, started):
            sessions.give_back(session)
    except SetupError as error:
        log.error("signing the crowd in failed: %s", error)
        environment.process_exit_code = 4
        gevent.spawn_later(0.1, environment.runner.quit)
        return
    log.info("%d sessions signed in before the step in %.1f s", count, time.time() - started)

StepShape = STEP.shape()


class Shopper(ShopUser):
    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        dispatcher.take()
        if not SIGNED_IN:
            self.black_friday_visit()
            return
        try:
            self.black_friday_visit()
            if self.session is None and random.random() < REFRESH_SHARE:
                # A signed-in customer whose visit needed no token refreshes it all the same.
                self.session = sessions.take()
                self.refresh()
        finally:
            # The visit is over: its session (kept, refreshed, or new from a login) serves the next.
            sessions.give_back(self.session)
            self.session = None

    def access_token(self) -> str | None:
        if SIGNED_IN and self.session is None:
            if logs_in_with_password(LOGIN_SHARE):
                return self.login()
            self.session = sessions.take()
            # Every session is in use: this customer has none and logs in (a login all the same).
        return super().access_token()
