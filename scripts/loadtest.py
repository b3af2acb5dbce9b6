"""`make loadtest`: gunicorn with the production settings (plus the naive routes they leave out,
config.settings.loadtest) against PostgreSQL and Redis on loopback, driven by locust: the naive
and the optimized feed in turn, then concurrent writes.

Run it under scripts/with-services.sh (the Makefile does), which provides DATABASE_URL and
REDIS_URL. It migrates and seeds that database, starts gunicorn, runs locust headless for a
bounded time per variant, and prints requests per second, p50 and p99 latency and the failures;
`--json PATH` keeps the figures (bench_report puts docs/benchmarks/loadtest.json on the page).

The writes: every simulated user, each with an account of its own, comments on the same post
and counts a view of it, as fast as answered. Afterwards the database must hold exactly one new
comment and one more view for each of those requests that succeeded: nothing lost to concurrent
increments or transactions. The write throttle is raised for the run (DJANGO_WRITE_THROTTLE_RATE)
so that it measures the database, not the limit.

The connection budget: the optimized feed again, under the same load, on the production
settings' psycopg pool, on persistent connections, and through PgBouncer in transaction mode
(when scripts/with-services.sh started one: WITH_PGBOUNCER=1, as the Makefile does), counting
the server connections PostgreSQL has open for the database every 50 ms.

Exits non-zero when any request failed or any write is missing. Client and server share this
machine's cores, which bounds the figures: compare the variants, not these numbers with another
machine's.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VARIANTS = {
    "naive": "/api/v1/naive/post-feed/?limit=20",
    "optimized": "/api/v1/optimized/post-feed/?limit=20",
}
# Run with `manage.py shell -c` under the server's settings; each prints one JSON line.
PREPARE_WRITERS = """
import json
from rest_framework.authtoken.models import Token
from blog.models import Post
from users.models import User
tokens = []
for number in range({users}):
    user, _ = User.objects.get_or_create(username=f"load-writer-{{number}}")
    tokens.append(Token.objects.get_or_create(user=user)[0].key)
post = Post.objects.filter(status="published").order_by("-published_at", "-id").first()
print(json.dumps({{"tokens": tokens, "slug": post.slug}}))
"""
COUNT_WRITES = """
import json
from blog.models import Comment, Post
post = Post.objects.get(slug="{slug}")
print(json.dumps({{"comment": Comment.objects.filter(post=post).count(), "view": post.view_count}}))
"""


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
        # Production, plus the comparison routes production leaves out (the naive feed).
        "DJANGO_SETTINGS_MODULE": "config.settings.loadtest",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_WRITE_THROTTLE_RATE": "1000000/minute",
        # Comment notifications are sent (on commit), to a backend that drops them: no SMTP here.
        "EMAIL_URL": "dummy:",
        # Only the API is requested: an empty folder keeps WhiteNoise from warning it is missing.
        "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="loadtest-static-"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=PROJECT, env=env, check=True)
    subprocess.run([*manage, "seed", "--flush"], cwd=PROJECT, env=env, check=True)
    server = start_gunicorn(env, port=port, workers=args.workers)
    try:
        wait_for(port)
        results = {
            variant: run_locust(
                "Reader", port=port, users=args.users, seconds=args.seconds, LOADTEST_PATH=path
            )
            for variant, path in VARIANTS.items()
        }
        writes = run_writes(env, port=port, users=args.users, seconds=args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    connections = connection_budget(
        env, users=args.users, seconds=args.seconds, workers=args.workers
    )
    report = {
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "variants": results,
        "writes": writes,
        "connections": connections,
    }
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = (
        sum(result["failures"] for result in results.values())
        + writes["failures"]
        + sum(result["failures"] for result in connections["configurations"].values())
    )
    if failed:
        print(f"loadtest: {failed} requests failed", file=sys.stderr)
    if writes["unmatched"]:
        print(
            f"loadtest: the database does not match the successful writes: {writes['unmatched']}",
            file=sys.stderr,
        )
    return 1 if failed or writes["unmatched"] else 0


def start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config=config/gunicorn.py",
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--access-logfile=/dev/null",  # thousands of lines a second
        ],
        cwd=PROJECT,
        env=env,
    )


# How each configuration reaches PostgreSQL: the production settings' psycopg pool; persistent
# connections instead (config/settings/loadtest.py reads LOADTEST_CONNECTIONS); PgBouncer in
# transaction mode with the DATABASE_PGBOUNCER switch, when with-services.sh started one.
CONFIGURATIONS: dict[str, dict[str, str]] = {
    "psycopg pool (production)": {},
    "persistent connections": {"LOADTEST_CONNECTIONS": "persistent"},
}


def connection_budget(
    env: dict[str, str], *, users: int, seconds: int, workers: int
) -> dict[str, Any]:
    """The optimized feed under the same load in each configuration, counting the server
    connections PostgreSQL has open for the database (pg_stat_activity, every 50 ms)."""
    configurations = dict(CONFIGURATIONS)
    if env.get("DATABASE_PGBOUNCER_URL"):
        configurations["PgBouncer, transaction mode"] = {
            "DATABASE_URL": env["DATABASE_PGBOUNCER_URL"],
            "DATABASE_PGBOUNCER": "true",
        }
    measured = {}
    for name, overrides in configurations.items():
        port = free_port()
        server = start_gunicorn({**env, **overrides}, port=port, workers=workers)
        try:
            wait_for(port)
            with ServerConnections(env["DATABASE_URL"]) as counted:
                result = run_locust(
                    "Reader",
                    port=port,
                    users=users,
                    seconds=seconds,
                    LOADTEST_PATH=VARIANTS["optimized"],
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        measured[name] = {**result, **counted.figures()}
    with psycopg.connect(env["DATABASE_URL"]) as admin:
        row = admin.execute("SHOW max_connections").fetchone()
    return {
        "workers": workers,
        "max_connections": int(row[0]) if row else None,
        "configurations": measured,
    }


class ServerConnections:
    """Samples, in a thread, how many client backends PostgreSQL has open on the database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ServerConnections:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as probe:
            while not self._stop.is_set():
                row = probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                    " AND datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                self.samples.append(int(row[0]) if row else 0)
                self._stop.wait(0.05)

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.samples) or [0]
        return {
            "server_connections_peak": ordered[-1],
            "server_connections_median": ordered[len(ordered) // 2],
        }


def django_json(code: str, env: dict[str, str]) -> dict[str, Any]:
    """Run `code` in `manage.py shell` under the server's settings; return what it printed."""
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(shell.stdout.strip().splitlines()[-1])
    return result


def run_writes(env: dict[str, str], *, port: int, users: int, seconds: int) -> dict[str, Any]:
    """Concurrent comments and views on one post; then count what the database kept."""
    writers = django_json(PREPARE_WRITERS.format(users=users), env)
    count = COUNT_WRITES.format(slug=writers["slug"])
    before = django_json(count, env)
    result = run_locust(
        "Writer",
        port=port,
        users=users,
        seconds=seconds,
        LOADTEST_TOKENS=",".join(writers["tokens"]),
        LOADTEST_SLUG=writers["slug"],
    )
    after = django_json(count, env)
    kept = {name: after[name] - before[name] for name in ("comment", "view")}
    succeeded = {name: result["by_name"][name]["succeeded"] for name in ("comment", "view")}
    # Both directions are errors: fewer rows than successes is a lost write, more is a write
    # that failed (or timed out) for the client yet was saved.
    unmatched = {
        name: {"succeeded": succeeded[name], "kept": kept[name]}
        for name in kept
        if succeeded[name] != kept[name]
    }
    return {**result, "path": "comment + view of one post", "kept": kept, "unmatched": unmatched}


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


def run_locust(
    user_class: str, *, port: int, users: int, seconds: int, **environ: str
) -> dict[str, Any]:
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
                # At the end, let each user finish the request it is in: one cut off mid-flight
                # may have been saved without locust ever counting it.
                "--stop-timeout=30s",
                f"--host=http://127.0.0.1:{port}",
                # The final figures, written after the last request: the CSV files are
                # snapshots taken every second and can miss the run's last moments.
                f"--json-file={prefix}",
                "--only-summary",
                "--loglevel=WARNING",
                user_class,
            ],
            cwd=PROJECT,
            env={**os.environ, **environ},
            check=False,  # locust exits 1 when a request failed; the figures say which
            capture_output=True,
            text=True,
        )
        stats_file = Path(f"{prefix}.json")
        if not stats_file.exists():
            raise SystemExit(f"loadtest: locust wrote no figures:\n{locust.stderr}")
        entries: list[dict[str, Any]] = json.loads(stats_file.read_text())
    if not entries:
        raise SystemExit(f"loadtest: locust made no requests:\n{locust.stderr}")
    requests = sum(entry["num_requests"] for entry in entries)
    times: Counter[int] = Counter()
    for entry in entries:
        times.update({int(ms): count for ms, count in entry["response_times"].items()})
    started = min(entry["start_time"] for entry in entries)
    ended = max(entry["last_request_timestamp"] for entry in entries)
    return {
        "path": environ.get("LOADTEST_PATH", ""),
        "by_name": {
            entry["name"]: {"succeeded": entry["num_requests"] - entry["num_failures"]}
            for entry in entries
        },
        "requests": requests,
        "failures": sum(entry["num_failures"] for entry in entries),
        "requests_per_second": requests / max(ended - started, 1e-9),
        "p50_ms": float(percentile(times, 0.50)),
        "p99_ms": float(percentile(times, 0.99)),
    }


def percentile(histogram: Counter[int], fraction: float) -> int:
    """The response time (ms, as locust rounds it) below which `fraction` of requests fell."""
    wanted = fraction * sum(histogram.values())
    seen = 0
    for milliseconds in sorted(histogram):
        seen += histogram[milliseconds]
        if seen >= wanted:
            return milliseconds
    return max(histogram)


def print_table(report: dict[str, Any]) -> None:
    print(
        f"{report['users']} users, {report['seconds']} s a variant, "
        f"{report['workers']} gunicorn workers, {report['cpu_count']} CPUs"
    )
    print(f"{'variant':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'failed':>7}")
    for variant, result in [*report["variants"].items(), ("writes", report["writes"])]:
        print(
            f"{variant:10} {result['requests_per_second']:>8.1f} {result['p50_ms']:>8.0f} "
            f"{result['p99_ms']:>8.0f} {result['requests']:>9} {result['failures']:>7}"
        )
    writes = report["writes"]
    print(
        f"writes kept by the database: {writes['kept']}, "
        f"{'as many as succeeded' if not writes['unmatched'] else writes['unmatched']}"
    )
    print(f"{'connections':30} {'req/s':>8} {'p99 ms':>8} {'server conns peak':>18} {'failed':>7}")
    for name, result in report["connections"]["configurations"].items():
        print(
            f"{name:30} {result['requests_per_second']:>8.1f} {result['p99_ms']:>8.0f} "
            f"{result['server_connections_peak']:>18} {result['failures']:>7}"
        )


if __name__ == "__main__":
    sys.exit(main())
