"""The layers hold: each package imports only those below it (pyproject.toml, [tool.importlinter]:
config > querylab > blog > users > core). No app imports the lab; users knows nothing of posts;
core, the shared ground, imports no app. And querycheck, the query toolkit, imports nothing of
the project: it is a package any Django project can install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_no_package_imports_one_above_it() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
