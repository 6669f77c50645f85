"""
A Black Friday morning as arrivals per second: a quiet baseline, the ramp as people wake
up, the spike when the deals go live, a busy plateau and the cool-down. The mix is 75%
browsing, 10% search, 10% cart, 5% checkout, with logins and token refreshes. Each group
has SLO objectives (p95, p99, error rate) that pass or fail the run, and so does the rate:
more than 2% of the arrivals dropped means the run was not the one asked for.

    LOAD_BASE_RATE       visits per second at baseline (default 4: fits 2 cores with the stack)
    LOAD_SPIKE_FACTOR    the spike as a multiple of the baseline (default 5)
    LOAD_DURATION_SCALE  stretches every stage (default 1: 12 minutes)
    LOAD_USERS           the pool of users taking arrivals (default 8 per visit/s of the spike)

    locust -f load-tests/black-friday.py --headless --host http://127.0.0.1:8080
"""

from locust import constant, task

from lib.arrivals import ArrivalShape, allowed_drops, dispatcher, pool_size
from lib.journey import ShopUser
from lib.recorder import recorder
from lib.settings import number
from lib.verdict import decide_by

BASE = number("LOAD_BASE_RATE", 4)
SPIKE = BASE * number("LOAD_SPIKE_FACTOR", 5)
SCALE = number("LOAD_DURATION_SCALE", 1)

decide_by(max_dropped=lambda: allowed_drops(recorder.visits + recorder.dropped))


class BlackFridayShape(ArrivalShape):
    start_rate = BASE
    stages = [
        (120 * SCALE, BASE),  # baseline
        (180 * SCALE, BASE * 3),  # the ramp
        (30 * SCALE, SPIKE),  # deals go live
        (60 * SCALE, SPIKE),  # the spike
        (30 * SCALE, BASE * 3),
        (180 * SCALE, BASE * 3),  # plateau
        (120 * SCALE, BASE / 2),  # cool-down
    ]
    users = pool_size(SPIKE, number("LOAD_USERS", 0))


class Shopper(ShopUser):
    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        dispatcher.take()
        self.black_friday_visit()
