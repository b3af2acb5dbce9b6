"""The registry's selector types catch a mismatched pair before any test runs: mypy, on code that
declares pairs as the registry does, accepts the right one and names what is wrong in the others.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from tests.subprocesses import run_python

PROJECT_DIR = Path(__file__).resolve().parents[2]

PAIRS = textwrap.dedent(
    """
    from blog.models import Post
    from blog.selectors import (
        post_commented_flags_optimized,
        post_list_naive,
        post_list_optimized,
    )
    from core.cases import ListSelector, Pair
    from blog.authors import user_directory_optimized

    right = Pair[ListSelector[Post]](naive=post_list_naive, optimized=post_list_optimized)
    needs_a_viewer = Pair[ListSelector[Post]](
        naive=post_list_naive, optimized=post_commented_flags_optimized
    )
    other_rows = Pair[ListSelector[Post]](
        naive=post_list_naive, optimized=user_directory_optimized
    )
    """
)


def test_mypy_rejects_a_selector_of_another_shape_or_other_rows(tmp_path: Path) -> None:
    module = tmp_path / "pairs.py"
    module.write_text(PAIRS)

    result = run_python(
        "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), str(module),
        cwd=PROJECT_DIR, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip

    errors = re.findall(r"pairs\.py:(\d+): error: (.*)", result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [int(line) for line, _ in errors] == [13, 16], result.stdout
    wrong_shape, wrong_rows = (message for _, message in errors)
    assert "post_commented_flags_optimized(*, viewer_id: int, limit: int)" in wrong_shape
    assert 'expected "ListSelector[Post]"' in wrong_shape
    assert "-> QuerySet[User, User]" in wrong_rows
