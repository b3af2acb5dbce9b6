"""The garbage collector, set for a process that serves requests (a gunicorn worker, the bench).

CPython collects its youngest generation every 700 new container objects, and a page of model
instances makes tens of thousands: a feed of 1,000 rows set off dozens of collections a request,
each walking everything still alive. Measured on the optimized feed (CPython 3.11, interleaved
rounds), collection took 1.1x the time at 100 rows and 1.7x at 1,000.

Two settings, once the worker has started:

- `gc.freeze()`: what start-up made (Django, the URLconf, the schemas: some 200,000 objects)
  lives as long as the worker; frozen, no collection walks it again;
- a young generation of 50,000 objects instead of 700: a request's garbage is mostly freed by
  reference counting as it ends, and what cycles remain are collected every 50,000 objects.

Caveats: cyclic garbage waits longer (a few megabytes at most, per worker), and the figures are
CPython 3.11's; later versions change the collector, so measure again (make bench) on upgrade.
"""

from __future__ import annotations

import gc

# (young, middle, old): the young generation past a page of instances; the older ones collected
# every 20 and 100 collections of the one below.
THRESHOLDS = (50_000, 20, 100)


def settle_worker() -> None:
    """Freeze what the process holds now, and widen the young generation (see above)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
