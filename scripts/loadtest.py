"""`make loadtest`: gunicorn with the production settings against PostgreSQL and Redis on
loopback, driven by locust, for the naive and the optimized feed in turn.

Run it under scripts/with-services.sh (the Makefile does), which provides DATABASE_URL and
REDIS_URL. It migrates and seeds that database, starts gunicorn, runs locust headless for a
bounded time per variant, and prints requests per second, p50 and p99 latency and the failures;
`--json PATH` keeps the figures (bench_report puts docs/benchmarks/loadtest.json on the page).
Exits non-zero when any request failed. Client and server share this machine's cores, which
bounds the figures: compare the two variants, not these numbers with another machine's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VARIANTS = {
    "naive": "/api/v1/naive/feed/?limit=20",
    "optimized": "/api/v1/optimized/feed/?limit=20",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=16, help="concurrent simulated users")
    parser.add_argument("--seconds", type=int, default=20, help="how long each variant runs")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name, "").strip():
            parser.error(f"{name} is not set: run under scripts/with-services.sh (make loadtest)")

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=PROJECT, env=env, check=True)
    subprocess.run([*manage, "seed", "--flush"], cwd=PROJECT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config=config/gunicorn.py",
            "config.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=PROJECT,
        env=env,
    )
    try:
        wait_for(port)
        results = {
            variant: run_locust(path, port=port, users=args.users, seconds=args.seconds)
            for variant, path in VARIANTS.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "variants": results,
    }
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = sum(result["failures"] for result in results.values())
    if failed:
        print(f"loadtest: {failed} requests failed", file=sys.stderr)
        return 1
    return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"loadtest: gunicorn did not listen on port {port} within {timeout:.0f} s")


def run_locust(path: str, *, port: int, users: int, seconds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        prefix = Path(folder) / "run"
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(PROJECT / "scripts" / "locustfile.py"),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                f"--host=http://127.0.0.1:{port}",
                f"--csv={prefix}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=PROJECT,
            env={**os.environ, "LOADTEST_PATH": path},
            check=False,  # locust exits 1 when a request failed; the figures say which
            capture_output=True,
            text=True,
        )
        stats_file = Path(f"{prefix}_stats.csv")
        if not stats_file.exists():
            raise SystemExit(f"loadtest: locust wrote no figures:\n{locust.stderr}")
        with stats_file.open(newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {
        "path": path,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_second": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
    }


def print_table(report: dict[str, Any]) -> None:
    print(
        f"{report['users']} users, {report['seconds']} s a variant, "
        f"{report['workers']} gunicorn workers, {report['cpu_count']} CPUs"
    )
    print(f"{'variant':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'failed':>7}")
    for variant, result in report["variants"].items():
        print(
            f"{variant:10} {result['requests_per_second']:>8.1f} {result['p50_ms']:>8.0f} "
            f"{result['p99_ms']:>8.0f} {result['requests']:>9} {result['failures']:>7}"
        )


if __name__ == "__main__":
    sys.exit(main())
