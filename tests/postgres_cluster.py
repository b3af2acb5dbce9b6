"""A PostgreSQL server of a test's own, which it may stop and restart without disturbing others.

The suite's shared server (scripts/with-services.sh) serves every pytest-xdist worker at once, so
a test that restarts PostgreSQL under a running app starts this one: `initdb` in a temporary
folder, a free loopback port, and the binaries found as with-services.sh finds them ($PG_BIN,
/usr/lib/postgresql/*/bin, then PATH). As root, the server runs as the `postgres` user, which it
refuses not to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.subprocesses import free_port


class ClusterError(RuntimeError):
    """The server's binaries are missing or it would not start; the message says which."""


def _find_bin() -> Path:
    candidates = [Path(os.environ["PG_BIN"])] if os.environ.get("PG_BIN") else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise ClusterError("PostgreSQL's initdb and pg_ctl not found: install them or set PG_BIN")


class Cluster:
    """One running server: `url` for a database on it, `restart()` to bounce it."""

    def __init__(self, folder: Path) -> None:
        self.bin = _find_bin()
        self.folder = folder
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self.as_postgres, *command], capture_output=True, text=True, check=False, timeout=60
        )
        if result.returncode != 0:
            log = self.folder / "server.log"
            detail = log.read_text() if log.exists() else ""
            raise ClusterError(f"{' '.join(command)}: {result.stderr}{result.stdout}{detail}")

    def _pg_ctl(self, action: str, *options: str) -> None:
        self._run(str(self.bin / "pg_ctl"), f"--pgdata={self.folder / 'data'}", action, *options)

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, user="postgres")
        self._run(
            str(self.bin / "initdb"),
            f"--pgdata={self.folder / 'data'}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off"
        )
        self._pg_ctl(
            "start", "--wait", f"--log={self.folder / 'server.log'}", f"--options={options}"
        )

    def restart(self) -> None:
        """Stop (ending every client connection at once, as a crash or a failover does), start."""
        self._pg_ctl("stop", "--wait", "--mode=fast")
        self.start()

    def stop(self) -> None:
        self._pg_ctl("stop", "--wait", "--mode=immediate")

    def create_database(self, name: str) -> str:
        self._run(
            str(self.bin / "createdb"),
            "--host=127.0.0.1",
            f"--port={self.port}",
            "-U",
            "postgres",
            name,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def private_cluster(folder: Path) -> Iterator[Cluster]:
    """A fresh server with its data in `folder`, stopped when the block ends."""
    cluster = Cluster(folder)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        # Already down after a failed restart: that is the test's failure to report, not this.
        with suppress(ClusterError):
            cluster.stop()
