"""The run's parameters, read once from the environment (the LOAD_* variables of docs/load-testing.md)."""

import json
import os

GATEWAY = os.environ.get("LOAD_GATEWAY") or "http://127.0.0.1:8080"
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL") or "admin@surge.local"
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD") or "surge-admin-dev"

with open(os.path.join(os.path.dirname(__file__), "slo.json"), encoding="utf-8") as slo_file:
    # One table for every scenario and for the report step (infra/stack/src/load/slo.ts).
    SLO = json.load(slo_file)
FLOWS = list(SLO)


def number(name: str, default: float) -> float:
    """A number from the environment, or its default; a bad value stops the run before it starts."""
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as error:
        raise SystemExit(f"{name}={raw} is not a number") from error
    if value < 0:
        raise SystemExit(f"{name}={raw} must not be negative")
    return value


THINK_SCALE = number("LOAD_THINK_SCALE", 1)
