"""
One step of the scaling search (npm run load -- scaling): browsing and search, the traffic
the product service serves, held at LOAD_RATE visits per second for LOAD_STEP_SECONDS.
The step passes when browse and search meet their SLOs at that rate and the generator
could keep it up (at most 2% of the arrivals dropped: beyond that every user was stuck
waiting on slow answers, and the rate reached the shop was lower than asked).

    locust -f load-tests/scaling.py --headless --host http://127.0.0.1:8080
"""

import random

from locust import constant, task

from lib.arrivals import HeldStep, dispatcher
from lib.journey import ShopUser
from lib.shop import Shop
from lib.verdict import decide_by

STEP = HeldStep(default_rate=10)

Shop.require(customers=1, products=1)
decide_by(flows=["browse", "search"], max_dropped=STEP.max_dropped)

StepShape = STEP.shape()


class Browser(ShopUser):
    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        dispatcher.take()
        if random.random() < 0.85:
            self.browse()
        else:
            self.search()
