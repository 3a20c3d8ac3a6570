"""Hypothesis settings shared by the fuzz tests.

Examples are derandomised so CI sees the same inputs every run;
FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 searches wider by hand.
"""

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
