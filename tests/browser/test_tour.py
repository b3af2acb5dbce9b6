"""The README's five-minute tour, walked in Chromium against the site as `make run` serves it:
each stop's screenshot is taken by the test that checks what it shows."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# The seed's defaults hold 430 published posts: every page below has its full N.
FEED_NAIVE = "1 + 9N"


def page_cost(page) -> dict[str, int]:
    figures = page.locator("#page-cost")
    return {
        key: int(figures.get_attribute(f"data-{key}") or "-1")
        for key in ("queries", "expected", "n")
    }


def test_home_to_the_lab_to_the_feed_then_another_n(local_server, page, screenshot) -> None:
    page.goto(f"{local_server}/")
    assert page.locator("h1").first.inner_text() == "Newest posts"
    screenshot(page, "1-home")

    page.get_by_role("link", name="Query lab").first.click()
    page.wait_for_selector("#start-here")
    assert page.locator("#catalogue tbody tr").count() >= 20
    # No toolbar on the lab's pages: it would record every pass the lab measures.
    assert page.locator("#djDebug").count() == 0
    screenshot(page, "2-lab")

    page.locator("#start-here").get_by_role("link", name="The feed in the lab").click()
    page.wait_for_selector("#lab-results")
    assert not page.locator("#lab-progress").is_visible()  # hidden once the results are in
    assert page.locator("#djDebug").count() == 0
    queries = page.locator("#lab-results tbody tr").first
    # naive, auto (the naive code with its foreign keys batched), optimized
    assert re.search(
        r"181 \(formula: 181\)\s+84 \(formula: 84\)\s+3 \(formula: 3\)", queries.inner_text()
    )
    screenshot(page, "3-lab-case")

    page.locator('input[name="n"]').fill("5")
    page.get_by_role("button", name="Run both").click()
    page.wait_for_url(re.compile(r"[?&]n=5"))
    page.wait_for_selector("#lab-results")
    assert re.search(
        r"46 \(formula: 46\)\s+24 \(formula: 24\)\s+3 \(formula: 3\)", queries.inner_text()
    )


def test_the_naive_and_optimized_pages_show_their_counts(local_server, page, screenshot) -> None:
    page.goto(f"{local_server}/naive/post-feed/?limit=10")
    assert page_cost(page) == {"queries": 91, "expected": 91, "n": 10}
    assert FEED_NAIVE in page.locator("#page-cost").inner_text()
    # The toolbar starts collapsed to its handle: it covers nothing until asked.
    assert page.locator("#djShowToolBarButton").is_visible()
    assert not page.locator("#djDebugToolbar").is_visible()
    screenshot(page, "4-naive-page")

    page.get_by_role("link", name="the optimized variant").click()
    page.wait_for_url(re.compile(r"/optimized/post-feed/\?limit=10$"))
    assert page_cost(page) == {"queries": 3, "expected": 3, "n": 10}
    screenshot(page, "5-optimized-page")


def test_the_toolbar_sql_panel_marks_the_repeated_queries(local_server, page, screenshot) -> None:
    page.goto(f"{local_server}/naive/post-feed/?limit=5")

    page.locator("#djShowToolBarButton").click()
    page.locator("#djDebugToolbar a.SQLPanel").click()
    panel = page.locator("#SQLPanel")
    panel.locator(".djdt-databaseLegend").wait_for()
    legend = panel.locator(".djdt-databaseLegend").inner_text()
    assert "46 queries" in legend
    similar = int(re.search(r"(\d+) similar", legend).group(1))  # type: ignore[union-attr]
    assert similar >= 40  # eight shapes repeated once per post
    assert "duplicates" in legend
    screenshot(page, "6-sql-panel")


def test_try_it_out_in_the_api_docs(local_server, page, screenshot) -> None:
    page.goto(f"{local_server}/api/docs/")
    page.wait_for_selector(".opblock-tag")
    sections = [tag.get_attribute("data-tag") for tag in page.locator(".opblock-tag").all()]
    assert sections == ["public API", "case variants", "tiers"]
    screenshot(page, "7-api-docs")

    operation = page.locator("#operations-public_API-v1_posts_get")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
