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
DOCS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
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
