"""The shop's load journey, written once and used by every locustfile in load-tests/."""
