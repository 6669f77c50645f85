"""
One step of the Black Friday capacity search (npm run bench -- black-friday-capacity): the
Black Friday visit mix of black-friday.py (75% browsing, 10% search, 10% cart, 5%
checkout, with logins and token refreshes), held at LOAD_RATE visits per second for
LOAD_STEP_SECONDS. The step passes when every group meets its SLO (lib/slo.json) and the
generator kept the rate up (at most 2% of the arrivals dropped: beyond that every user
was stuck waiting on slow answers, and the rate that reached the shop was lower than
asked). The benchmark judges the step again over its measured window (after a warm-up);
this exit code is the same verdict over the whole step, for a run from the command line.

    LOAD_RATE          visits per second (default 20, the spike of black-friday.py's defaults)
    LOAD_STEP_SECONDS  how long the rate is held (default 60)
    LOAD_USERS         the pool of users taking arrivals (default 8 per visit/s)

    locust -f load-tests/black-friday-step.py --headless --host http://127.0.0.1:8080
"""

from locust import constant, task

from lib.arrivals import HeldStep, dispatcher
from lib.journey import ShopUser
from lib.verdict import decide_by

STEP = HeldStep(default_rate=20)

decide_by(max_dropped=STEP.max_dropped)

StepShape = STEP.shape()


class Shopper(ShopUser):
    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        dispatcher.take()
        self.black_friday_visit()
