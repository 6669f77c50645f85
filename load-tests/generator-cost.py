"""
The load generator's own cost, for `npm run bench -- generator-cost`: users that each
send one GET / after another to a trivial server, either as fast as they can or at a
total rate (BENCH_RATE requests/s, spread over the users with constant_throughput).
BENCH_RECORDER=1 adds Surge's request recorder (lib/recorder.py, one JSON line per
request), so the bench says what the scenarios' own bookkeeping costs on top of Locust.

    BENCH_RATE   total requests/s (0, the default: as fast as one process can)
    BENCH_USERS  users (default 64)
"""

import os

from locust import FastHttpUser, constant, constant_throughput, task

RATE = float(os.environ.get("BENCH_RATE") or 0)
USERS = int(os.environ.get("BENCH_USERS") or 64)

if os.environ.get("BENCH_RECORDER") == "1":
    import lib.recorder  # noqa: F401  (registers the recorder's event hooks)


class Hammer(FastHttpUser):
    wait_time = constant_throughput(RATE / USERS) if RATE > 0 else constant(0)

    @task
    def get(self) -> None:
        self.client.get("/", name="trivial")
