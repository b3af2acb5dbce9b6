"""gunicorn for a deployment: `gunicorn -c config/gunicorn.py config.wsgi`.

Environment: PORT (8000), WEB_CONCURRENCY (workers: two per core plus one), GUNICORN_TIMEOUT
(seconds, 30), FORWARDED_ALLOW_IPS (the proxy's address, 127.0.0.1). Command-line options
override these, as `make loadtest` does for the port and the workers.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: the views are sync, and each worker holds its connections from psycopg's pool.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, spread out, so a slow leak never takes every worker at once.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's disk-backed /tmp can stall workers into timeouts.
# Not a file anyone else writes to: gunicorn creates its own, unlinked, per worker.
_SHM = Path("/dev/shm")  # noqa: S108
worker_tmp_dir = str(_SHM) if _SHM.is_dir() else None
accesslog = "-"
# Who may set X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER trusts it): the TLS proxy only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Once the worker has started: freeze what it holds out of the garbage collector's sight,
    and collect less often (core/worker_gc.py says why, and what it measured)."""
    # Imported here: gunicorn reads this file before the project is on sys.path.
    from core.worker_gc import settle_worker  # noqa: PLC0415

    settle_worker()
