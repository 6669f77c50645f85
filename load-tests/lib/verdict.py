"""
The run's verdict, in the process that saw every request (the only one, or the master):
each group's p95, p99 and error rate against load-tests/lib/slo.json, and how many
arrivals were dropped. A missed objective ends Locust with exit code 3, so a run from the
command line, a compose service or a Kubernetes pod fails the same way `npm run load` does.

Exit codes: 0 passed; 3 an SLO or the dropped-visits limit was missed (or, in the smoke
run, a check failed); 4 the shop could not be prepared; 1 and 2 are Locust's own.
"""

import logging

from locust import events
from locust.runners import WorkerRunner

from .recorder import recorder
from .settings import FLOWS, SLO

log = logging.getLogger("surge.verdict")

SLO_MISSED = 3


def percentile(ordered: list[float], p: float) -> float:
    """Linear interpolation between ranks, as the report step does (request-points.ts)."""
    if not ordered:
        return 0.0
    rank = p * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def judge(flows: list[str], max_dropped: int | None) -> list[str]:
    """Every objective missed, as sentences; empty when the run passed."""
    missed = []
    for flow in flows:
        mine = [(ms, failed) for f, ms, failed in recorder.requests if f == flow]
        if not mine:
            continue
        ordered = sorted(ms for ms, _ in mine)
        p95, p99 = percentile(ordered, 0.95), percentile(ordered, 0.99)
        errors = sum(1 for _, failed in mine if failed) / len(mine)
        slo = SLO[flow]
        line = f"{flow:9} {len(mine):7} requests  p95 {p95:8.1f} ms (< {slo['p95Ms']})  p99 {p99:8.1f} ms (< {slo['p99Ms']})  errors {errors:6.2%} (< {slo['maxErrorRate']:.0%})"
        log.info(line)
        if p95 > slo["p95Ms"]:
            missed.append(f"{flow} p95 {p95:.1f} ms > {slo['p95Ms']} ms")
        if p99 > slo["p99Ms"]:
            missed.append(f"{flow} p99 {p99:.1f} ms > {slo['p99Ms']} ms")
        if errors > slo["maxErrorRate"]:
            missed.append(f"{flow} errors {errors:.2%} > {slo['maxErrorRate']:.0%}")
    if max_dropped is not None and recorder.dropped > max_dropped:
        missed.append(f"{recorder.dropped} visits dropped > {max_dropped}: the generator could not keep the rate")
    return missed


def decide_by(flows: list[str] | None = None, max_dropped=None, every_check: bool = False) -> None:
    """
    Registers the verdict for a scenario: `flows` whose SLOs decide the run (all by
    default; an empty list judges none), a limit on dropped arrivals (a number, or a
    function of nothing, read at the end), and whether any failed check fails the run.
    """

    @events.test_stop.add_listener
    def _judge_in_the_ui(environment, **_kwargs) -> None:
        # With the web UI (the Kubernetes master) a process runs many tests: say each one's
        # verdict in the log when it stops; the exit code is for headless runs.
        options = environment.parsed_options
        if options is None or options.headless or isinstance(environment.runner, WorkerRunner):
            return
        limit = max_dropped() if callable(max_dropped) else max_dropped
        missed = judge(FLOWS if flows is None else flows, limit)
        log.info("this test %s", f"FAILED: {'; '.join(missed)}" if missed else "passed")

    @events.quitting.add_listener
    def _judge(environment, **_kwargs) -> None:
        if isinstance(environment.runner, WorkerRunner):
            return
        limit = max_dropped() if callable(max_dropped) else max_dropped
        missed = judge(FLOWS if flows is None else flows, limit)
        failed = sum(1 for _, _, failed in recorder.requests if failed)
        log.info(
            "%d requests, %d failed; %d visits started, %d dropped",
            len(recorder.requests),
            failed,
            recorder.visits,
            recorder.dropped,
        )
        if every_check and (failed > 0 or not recorder.requests):
            missed.append(f"{failed} of {len(recorder.requests)} checks failed")
        recorder.close()
        if environment.process_exit_code not in (None, 0):
            return
        if missed:
            log.error("run FAILED: %s", "; ".join(missed))
            environment.process_exit_code = SLO_MISSED
        else:
            log.info("run passed")
            environment.process_exit_code = 0
