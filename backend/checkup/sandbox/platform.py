"""How a hospital's interface platform carries HIS and PEIS calls: each call takes a while (latency),
and the platform admits only so many at once; a call above that cap is refused at once with HTTP 503
(as integration platforms and their gateways do), never queued without end. Counts what it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Platform:
    latency_seconds: float = 0.0
    max_concurrent: int = 0  # 0: no cap
    in_flight: int = 0
    peak_in_flight: int = 0
    refused: int = 0
    calls: dict[str, int] = field(default_factory=dict)  # per operation, refused ones not included

    def admit(self, operation: str) -> bool:
        """Take a place for one call; False (counted as refused) when the platform is at its cap."""
        if self.max_concurrent and self.in_flight >= self.max_concurrent:
            self.refused += 1
            return False
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        self.calls[operation] = self.calls.get(operation, 0) + 1
        return True

    def leave(self) -> None:
        self.in_flight -= 1

    def reset_counts(self) -> None:
        self.peak_in_flight = self.in_flight
        self.refused = 0
        self.calls = {}

    def view(self) -> dict[str, Any]:
        return {
            "latency_ms": round(self.latency_seconds * 1000), "max_concurrent": self.max_concurrent,
            "in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight, "refused": self.refused,
            "calls": dict(self.calls), "total_calls": sum(self.calls.values()),
        }
