"""
Every request, visit and dropped visit of a run, as JSON lines in LOAD_POINTS_FILE: the
raw material of the report step (infra/stack/src/load/request-points.ts), which buckets
them per second and computes exact percentiles per group. Locust's own CSV keeps only
approximate percentiles per request name; these lines keep each request.

Distributed runs: a worker keeps its lines until Locust's next stats report to the master
(every few seconds, and once more when it stops) and sends them along with it; the master
writes every worker's lines to its one file. So the master's file is the combined run,
whether the workers are processes here, compose containers or pods.
"""

import json
import time

from locust import events
from locust.runners import MasterRunner, WorkerRunner

from .settings import FLOWS


class Recorder:
    def __init__(self) -> None:
        self.file = None
        self.worker = False
        self.pending: list[dict] = []
        # Kept by the process that judges the run (local or master): (flow, ms, failed).
        self.requests: list[tuple[str, float, bool]] = []
        self.visits = 0
        self.dropped = 0
        # Arrivals the shape asked for (the integral of its rate over the run), to compare with visits.
        self.asked = 0.0

    def open(self, path: str | None, environment) -> None:
        self.worker = isinstance(environment.runner, WorkerRunner)
        if path and not self.worker:
            self.file = open(path, "a", encoding="utf-8", buffering=1 << 16)

    def keep(self, point: dict) -> None:
        if self.worker:
            self.pending.append(point)
            return
        kind = point["kind"]
        if kind == "request":
            self.requests.append((point["flow"], point["ms"], point["failed"]))
        elif kind == "visit":
            self.visits += 1
        elif kind == "dropped":
            self.dropped += 1
        if self.file:
            self.file.write(json.dumps(point, separators=(",", ":")) + "\n")

    def request(self, name, response_time, response, context, exception, start_time, **_kwargs) -> None:
        flow = (context or {}).get("flow", "other")
        self.keep(
            {
                "kind": "request",
                "at": round(start_time * 1000, 1),
                "ms": round(response_time, 2),
                "flow": flow if flow in FLOWS else "other",
                "name": name,
                "status": getattr(response, "status_code", 0) or 0,
                "failed": exception is not None,
            }
        )

    def visit(self) -> None:
        """An arrival handed to an idle user."""
        self.keep({"kind": "visit", "at": round(time.time() * 1000, 1)})

    def drop(self) -> None:
        """An arrival that found every user busy: the rate asked was not the rate sent."""
        self.keep({"kind": "dropped", "at": round(time.time() * 1000, 1)})

    def close(self) -> None:
        """Writes the run's totals as its last line, then closes the file."""
        if self.file:
            self.file.write(
                json.dumps({"kind": "summary", "at": round(time.time() * 1000, 1), "asked": round(self.asked, 1), "visits": self.visits, "dropped": self.dropped})
                + "\n"
            )
            self.file.close()
            self.file = None


recorder = Recorder()


@events.init.add_listener
def _attach(environment, **_kwargs) -> None:
    import os

    recorder.open(os.environ.get("LOAD_POINTS_FILE"), environment)
    environment.events.request.add_listener(recorder.request)
    if isinstance(environment.runner, MasterRunner):

        def received(client_id, data, **_kw) -> None:
            for point in data.get("surge_points", ()):
                recorder.keep(point)

        environment.events.worker_report.add_listener(received)
    if isinstance(environment.runner, WorkerRunner):

        def send(client_id, data, **_kw) -> None:
            data["surge_points"], recorder.pending = recorder.pending, []

        environment.events.report_to_master.add_listener(send)
