"""
Steady traffic in the Black Friday mix while the runner (npm run load -- outage) injects
the chaos scenarios one after another. It runs until the runner stops it (SIGINT) once
the last fault has recovered, or LOAD_MAX_SECONDS (default 3 h); no verdict of its own:
the report shows what the faults did, the auditor judges.

    LOAD_RATE  visits per second (default 6)
"""

from locust import constant, task

from lib.arrivals import ArrivalShape, dispatcher, pool_size
from lib.journey import ShopUser
from lib.settings import number
from lib.verdict import decide_by

RATE = number("LOAD_RATE", 6)

decide_by(flows=[])


class SteadyShape(ArrivalShape):
    start_rate = RATE
    stages = [(number("LOAD_MAX_SECONDS", 3 * 3600), RATE)]
    # Faults make answers slow (a restart, a slow provider): room for 20 s of arrivals.
    users = pool_size(RATE * 2.5, number("LOAD_USERS", 0))


class Shopper(ShopUser):
    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        dispatcher.take()
        self.black_friday_visit()
