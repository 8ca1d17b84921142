"""How long tests wait, so that they hold on a busy machine (two cores shared by several suites, a
bench or a build alongside): a wait is a bound on something that must happen, never a measurement.

``CHECKUP_TEST_SLACK`` (default 3) multiplies every bound; a stuck request or drain still fails the test,
only later. HTTP clients of tests get ``CLIENT_TIMEOUT``: a single answer never legitimately takes that
long, while 10 s was seen to pass on a loaded machine (a payment notification delivered under load).
"""

from __future__ import annotations

import os

SLACK = max(1.0, float(os.environ.get("CHECKUP_TEST_SLACK", "3")))
CLIENT_TIMEOUT = 60.0 * SLACK


def bound(seconds: float) -> float:
    """A wait of ``seconds`` on a quiet machine, stretched for a busy one."""
    return seconds * SLACK
