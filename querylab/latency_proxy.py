"""A TCP proxy that puts a network between Django and its database: every byte it forwards is
held for half the chosen round trip in each direction, so a query that waits for its answer
waits one round trip more, as it would with the database across a network.

It runs in a process of its own (`python -m querylab.latency_proxy`), so its threads never
share this process's interpreter lock or CPU clock with what is being measured. Delay is added
per chunk with its due time, not per chunk after the one before: a burst of rows streams at
the link's speed after the first byte arrives late, like a real link, rather than each chunk
paying the delay again.

Threads and `time.sleep`, not asyncio: an asyncio loop on Linux rounds its timeouts up to the
millisecond, too coarse for a half-millisecond round trip.

    with latency_proxy(("127.0.0.1", 5432), round_trip_ms=1.0) as (host, port):
        ...  # connect to (host, port) instead
"""

from __future__ import annotations

import argparse
import collections
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.db import connections  # lazy: the proxy's own process never configures Django
from django.db.backends.base.base import BaseDatabaseWrapper

CHUNK = 65536
_EOF = b""


@dataclass
class _Pipe:
    """One direction of one connection: a reader queues chunks with their due time, a writer
    sends each once it is due."""

    source: socket.socket
    target: socket.socket
    one_way_s: float
    queue: collections.deque[tuple[float, bytes]] = field(default_factory=collections.deque)
    ready: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = self.source.recv(CHUNK)
            except OSError:
                data = _EOF
            with self.ready:
                self.queue.append((time.perf_counter() + self.one_way_s, data))
                self.ready.notify()
            if data == _EOF:
                return

    def _write(self) -> None:
        while True:
            with self.ready:
                while not self.queue:
                    self.ready.wait()
                due, data = self.queue.popleft()
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if data == _EOF:
                with suppress(OSError):
                    self.target.shutdown(socket.SHUT_WR)
                return
            try:
                self.target.sendall(data)
            except OSError:
                return


def serve(listener: socket.socket, upstream: tuple[str, int], round_trip_ms: float) -> None:
    """Accept connections on `listener` forever, each forwarded to `upstream` with the delay."""
    one_way = round_trip_ms / 2000
    while True:
        client, _address = listener.accept()
        try:
            server = socket.create_connection(upstream)
        except OSError:
            client.close()
            continue
        for end in (client, server):
            # Small writes go out at once: Nagle's algorithm would add a delay of its own.
            end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _Pipe(client, server, one_way).start()
        _Pipe(server, client, one_way).start()


@contextmanager
def latency_proxy(
    upstream: tuple[str, int], *, round_trip_ms: float, timeout_s: float = 10.0
) -> Iterator[tuple[str, int]]:
    """Run the proxy in a process of its own for the block; yield the address to connect to."""
    process = subprocess.Popen(  # noqa: S603 (this interpreter, this module, our arguments)
        [
            sys.executable,
            "-m",
            "querylab.latency_proxy",
            f"{upstream[0]}:{upstream[1]}",
            "--round-trip-ms",
            str(round_trip_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None  # noqa: S101 (stdout=PIPE above)
        line = _first_line(process, timeout_s)
        host, _, port = line.strip().rpartition(":")
        yield host, int(port)
    finally:
        process.terminate()
        process.wait(timeout=timeout_s)


def _first_line(process: subprocess.Popen[str], timeout_s: float) -> str:
    """The address the proxy prints once it listens; an error if it exits or says nothing."""
    found: list[str] = []
    reader = threading.Thread(
        target=lambda: found.append(process.stdout.readline() if process.stdout else ""),
        daemon=True,
    )
    reader.start()
    reader.join(timeout_s)
    if not found or not found[0]:
        process.kill()
        raise RuntimeError(f"the latency proxy did not start (exit code {process.poll()})")
    return found[0]


def latency_refused(connection: BaseDatabaseWrapper | None = None) -> str | None:
    """Why `connection` (the default one) cannot be put through the proxy, or None if it can."""
    connection = connection or connections["default"]
    alias = connection.alias
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return (
            f"latency needs PostgreSQL over TCP: database {alias!r} is {connection.vendor}, "
            "inside this process, with no network to slow down"
        )
    if str(settings["HOST"]).startswith("/"):
        return f"latency needs PostgreSQL over TCP: database {alias!r} is on a Unix socket"
    if settings["OPTIONS"].get("pool"):
        return f"database {alias!r} is pooled: the pool keeps its own connections"
    if connection.in_atomic_block:
        return f"database {alias!r} is inside a transaction: latency reconnects it"
    return None


@contextmanager
def database_latency(round_trip_ms: float, *, alias: str = "default") -> Iterator[float]:
    """Send the `alias` connection's queries through a proxy adding `round_trip_ms` for the
    block; yield the round trip measured through it (one `SELECT 1`, the best of five).

    PostgreSQL over TCP only: SQLite runs inside this process, with no network to slow down,
    and a Unix socket is not a TCP address. The connection is closed on the way in and out, so
    the block must not sit inside a transaction (a test needs `transaction=True`). A psycopg
    pool (`OPTIONS["pool"]`) keeps its own connections: use persistent connections here.
    """
    refused = latency_refused(connections[alias])
    if refused:
        raise ValueError(refused)
    connection = connections[alias]
    settings = connection.settings_dict
    upstream = (settings["HOST"] or "localhost", int(settings["PORT"] or 5432))
    with latency_proxy(upstream, round_trip_ms=round_trip_ms) as (host, port):
        connection.close()
        # A copy for this thread's connection only: the dict is shared with settings.DATABASES
        # and every other thread's connection, which must keep connecting directly.
        connection.settings_dict = {**settings, "HOST": host, "PORT": str(port)}
        try:
            yield measured_round_trip_ms(alias)
        finally:
            connection.close()
            connection.settings_dict = settings


def measured_round_trip_ms(alias: str = "default") -> float:
    """The shortest of five `SELECT 1` round trips on the `alias` connection, in milliseconds."""
    best = float("inf")
    with connections[alias].cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            best = min(best, time.perf_counter() - started)
    return best * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", help="host:port of the database")
    parser.add_argument("--round-trip-ms", type=float, required=True)
    parser.add_argument("--listen", default="127.0.0.1:0", help="host:port (port 0: any free)")
    args = parser.parse_args(argv)
    if args.round_trip_ms < 0:
        parser.error("--round-trip-ms cannot be negative")
    up_host, _, up_port = args.upstream.rpartition(":")
    host, _, port = args.listen.rpartition(":")
    listener = socket.create_server((host, int(port)))
    bound_host, bound_port = listener.getsockname()[:2]
    print(f"{bound_host}:{bound_port}", flush=True)
    serve(listener, (up_host, int(up_port)), args.round_trip_ms)


if __name__ == "__main__":
    main()
