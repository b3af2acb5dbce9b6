"""The hand-written docs point at files that exist: a renamed test or module breaks this, not a
reader's click."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
# docs/cases/*.md are not pages of their own: their prose is rendered into docs/patterns.md,
# whose links are checked here.
DOCS = [
    PROJECT_DIR / "README.md",
    PROJECT_DIR / "querycheck" / "README.md",
    *sorted((PROJECT_DIR / "docs").glob("*.md")),
]
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)#\s]+)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_relative_links_resolve(doc: Path) -> None:
    targets = LINK.findall(doc.read_text())
    missing = [t for t in targets if not (doc.parent / t).resolve().exists()]

    assert not missing, f"{doc.name} links to files that do not exist: {missing}"


def test_the_testing_guide_links_to_real_tests() -> None:
    guide = PROJECT_DIR / "docs" / "testing.md"
    tests = {t for t in LINK.findall(guide.read_text()) if t.startswith("../tests/")}

    assert len(tests) >= 15


def test_the_testing_guide_opens_with_the_first_assertions_as_they_run() -> None:
    guide = (PROJECT_DIR / "docs" / "testing.md").read_text()
    block = re.search(r"<!-- first-assertions:start -->\n```python\n(.*?)```", guide, re.S)
    assert block is not None
    assert guide.index("first-assertions:start") < guide.index("\n## How the suite runs")
    tests = (PROJECT_DIR / "tests" / "blog" / "test_first_assertions.py").read_text()
    assert block.group(1).strip() in tests


def test_the_readme_counts_the_cases_with_pages() -> None:
    from querylab.registry import CASES

    readme = (PROJECT_DIR / "README.md").read_text()
    with_pages = sum(1 for case in CASES if case.has_page)
    assert f"({with_pages} of them;" in readme
    for case in CASES:
        assert f"| `{case.slug}`" in readme, f"the README's case table lacks {case.slug}"


def test_the_readme_tour_shows_every_screenshot_the_tour_takes() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    tour = (PROJECT_DIR / "tests" / "browser" / "test_tour.py").read_text()
    taken = set(re.findall(r'screenshot\(page, "([\w-]+)"', tour))
    shown = set(re.findall(r"\]\(docs/tour/([\w-]+)\.png\)", readme))
    assert taken
    assert shown == taken
    for name in taken:
        assert (PROJECT_DIR / "docs" / "tour" / f"{name}.png").exists(), name


def test_every_yes_of_querycheck_in_the_comparison_points_at_a_test() -> None:
    readme = (PROJECT_DIR / "querycheck" / "README.md").read_text()
    section = readme.split("## Compared with the peers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 10
    for row in rows[1:]:
        ours = row.split(" | ")[1]
        assert ours.startswith("yes"), row
        assert re.search(r"\]\(\.\./tests/[\w/]+\.py\)", ours), row
