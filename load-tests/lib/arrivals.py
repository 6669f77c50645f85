"""
Arrivals per second (an open model) on Locust's closed model.

Locust runs a fixed number of users, each looping over its tasks: the request rate then
depends on how fast the system answers (a slow system gets fewer requests, which hides
the slowness). A Black Friday crowd does not wait for the shop: customers arrive at their
own rate. So each process runs one dispatcher that releases arrivals evenly spaced at
the rate asked, and a pool of users takes them: an idle user takes the next arrival and
makes one visit; an arrival that finds every user busy is dropped and counted (the run's
"dropped visits"). The achieved rate is the arrivals handed
out; the report step compares it with the rate asked.

The rate comes from a LoadTestShape (ArrivalShape below) that runs where Locust runs
shapes, the master (or the only process): it sends each worker its share of the rate.
"""

import logging
import math
import time

import gevent
from gevent.event import Event
from locust import LoadTestShape, events
from locust.runners import MasterRunner, WorkerRunner

from .recorder import recorder
from .settings import number

log = logging.getLogger("surge.arrivals")


class Dispatcher:
    def __init__(self) -> None:
        self.rate = 0.0
        # Idle users, the most recently idle last: it gets the next arrival, so a pool larger
        # than the load needs keeps its spare users idle (and never logged in): only as many
        # customers log in as the load keeps busy.
        self.idle: list[Event] = []
        self.loop = None

    def set_rate(self, rate: float) -> None:
        self.rate = max(0.0, rate)
        if self.loop is None and self.rate > 0:
            self.loop = gevent.spawn(self._release)

    def stop(self) -> None:
        self.rate = 0.0
        if self.loop is not None:
            self.loop.kill(block=False)
            self.loop = None

    def take(self) -> None:
        """Blocks the calling user until the next arrival is its to serve."""
        ready = Event()
        self.idle.append(ready)
        try:
            ready.wait()
        finally:
            # A user stopped while idle leaves the pool.
            if not ready.is_set():
                self.idle.remove(ready)

    def _release(self) -> None:
        due = time.monotonic()
        while True:
            rate = self.rate
            now = time.monotonic()
            if rate <= 0:
                gevent.sleep(0.05)
                due = time.monotonic()
                continue
            if now < due:
                # Short naps, so a rate that rises is followed at once.
                gevent.sleep(min(due - now, 0.05))
                continue
            if self.idle:
                self.idle.pop().set()
                recorder.visit()
            else:
                recorder.drop()
            due += 1.0 / rate


dispatcher = Dispatcher()


@events.init.add_listener
def _listen_for_rates(environment, **_kwargs) -> None:
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.register_message("surge_rate", lambda msg, **_kw: dispatcher.set_rate(msg.data))


@events.test_stop.add_listener
def _stop(**_kwargs) -> None:
    dispatcher.stop()


def send_rate(runner, rate: float) -> None:
    """The rate asked of the whole run; on a master, each worker gets its share."""
    if isinstance(runner, MasterRunner):
        workers = max(1, runner.worker_count)
        runner.send_message("surge_rate", rate / workers)
    else:
        dispatcher.set_rate(rate)


class ArrivalShape(LoadTestShape):
    """
    Arrivals per second along `stages` (seconds, target rate), each going linearly from the
    previous target to its own (a ramping arrival rate), starting at `start_rate`. The
    pool of users is spawned first; the clock starts once it is complete, so no arrival is
    dropped for want of a user that was still being started. Ends after the last stage.
    """

    abstract = True
    start_rate: float = 1.0
    stages: list[tuple[float, float]] = []
    users: int = 1

    def __init__(self) -> None:
        super().__init__()
        self.clock: float | None = None
        self.sent: float | None = None
        self.sent_at = 0.0
        self.last: tuple[float, float] | None = None

    def rate_at(self, t: float) -> float | None:
        previous = self.start_rate
        for seconds, target in self.stages:
            if t < seconds:
                return previous + (target - previous) * (t / seconds if seconds > 0 else 1)
            t -= seconds
            previous = target
        return None

    def tick(self):
        spawn = (self.users, max(10.0, float(self.users)))
        if self.clock is None:
            if self.runner.user_count < self.users:
                return spawn
            self.clock = time.monotonic()
            log.info("pool of %d users ready; arrivals start", self.users)
            print("LOAD_TRAFFIC_STARTED", flush=True)
        now = time.monotonic()
        rate = self.rate_at(now - self.clock)
        if self.last is not None:
            # The visits asked for since the last tick (the rate is linear in between).
            then, previous = self.last
            recorder.asked += (previous + (rate if rate is not None else previous)) / 2 * (now - then)
        self.last = (now, rate if rate is not None else 0.0)
        if rate is None:
            send_rate(self.runner, 0)
            return None
        # Sent when it changes, and every 5 s anyway (a worker that joined late learns it).
        if self.sent is None or abs(rate - self.sent) > 0.01 * max(rate, 1) or time.monotonic() - self.sent_at > 5:
            send_rate(self.runner, rate)
            self.sent, self.sent_at = rate, time.monotonic()
        return spawn


def pool_size(peak_rate: float, users: float = 0) -> int:
    """
    Users enough for the peak: a visit with its think times lasts 1 to 5 s, so 8 users per
    visit/s leave room for slow answers before arrivals are dropped.
    """
    return int(users) if users > 0 else max(2, math.ceil(peak_rate * 8))


def allowed_drops(arrivals: float) -> int:
    """
    The dropped arrivals a run may have: 2% of them, never fewer than 2. Beyond that every
    user was stuck waiting on slow answers, the rate that reached the shop was lower than
    asked, and the run was not the one asked for.
    """
    return max(2, math.floor(0.02 * arrivals))


class HeldStep:
    """
    One step of a capacity search (scaling.py, black-friday-step.py): LOAD_RATE visits per
    second (`default_rate` unless set) held for LOAD_STEP_SECONDS (default 60), with a pool
    of LOAD_USERS users (default: pool_size) and allowed_drops of its arrivals.
    """

    def __init__(self, default_rate: float) -> None:
        self.rate = number("LOAD_RATE", default_rate)
        self.seconds = number("LOAD_STEP_SECONDS", 60)
        self.users = pool_size(self.rate, number("LOAD_USERS", 0))
        self.max_dropped = allowed_drops(self.rate * self.seconds)

    def shape(self) -> type[ArrivalShape]:
        """The step as a load shape: a locustfile binds it to a name of its own, where Locust finds it."""
        step = self

        class StepShape(ArrivalShape):
            start_rate = step.rate
            stages = [(step.seconds, step.rate)]
            users = step.users

        return StepShape
