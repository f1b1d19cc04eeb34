"""Hypothesis profiles, chosen with the HYPOTHESIS_PROFILE environment variable.

``ci`` (the default) is derandomized and bounded: ``python -m pytest`` takes about a
minute on two cores and gives the same result every run. ``dev`` draws fresh,
random examples, more of them, every run: ``HYPOTHESIS_PROFILE=dev python -m pytest``
(about twice as long) explores further.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
