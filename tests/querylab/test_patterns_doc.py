"""docs/patterns.md is what the registry and selectors generate: the docs cannot drift."""

from __future__ import annotations

from querylab.patterns_doc import cases_dir, output_path, render
from querylab.registry import CASES


def test_every_case_has_its_prose_and_nothing_else_does() -> None:
    prose = {path.stem for path in cases_dir().glob("*.md")}

    assert prose == {case.slug for case in CASES}


def test_committed_patterns_doc_is_up_to_date() -> None:
    assert output_path().read_text() == render(), "docs/patterns.md is stale: run `make docs`"


def test_each_case_section_shows_both_selectors() -> None:
    content = render()

    for case in CASES:
        section = content.split(f"\n## {case.slug}\n", 1)[1].split("\n## ", 1)[0]
        assert case.naive_queries.text in section
        for variant in ("naive", "optimized"):
            shown = case.code_for(variant)[0]  # the selector, or the first of its listed code
            assert shown.__name__ in section


def test_the_readme_quotes_the_registry_formulas() -> None:
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text()
    rows = {
        line.split("`")[1]: line
        for line in readme.splitlines()
        if line.startswith("| `") and "→" in line
    }
    quoted = [case for case in CASES if case.slug in rows]

    assert len(quoted) >= 12
    for case in quoted:
        row = rows[case.slug]
        assert f"`{case.naive_queries}` → `{case.optimized_queries}`" in row, case.slug
