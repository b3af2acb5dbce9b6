"""Settings for `make loadtest` only: the production settings plus the comparison routes, so the
load test can drive the naive feed beside the optimized one through the production stack.

Never deploy with these: the naive routes are exactly what production leaves out.
"""

from __future__ import annotations

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

QUERYLAB_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "querylab"]
