"""The exports: same rows in both formats, drafts left out, and memory that stays flat."""

from __future__ import annotations

import csv
import io
import json
from http import HTTPStatus

import pytest
from django.utils import timezone

from blog.models import Post
from querylab.measure import peak_memory, render_page
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


# The public export (streamed), and the post-export case's naive variant (in memory).
EXPORTS = ["/api/v1/posts/export.{fmt}", "/api/v1/naive/post-export/{fmt}/"]


@pytest.mark.parametrize("export", EXPORTS)
def test_ndjson_and_csv_hold_the_published_posts(client, export) -> None:
    posts = PostFactory.create_batch(3)
    PostFactory.create(draft=True, title="Secret draft")

    ndjson = client.get(export.format(fmt="ndjson"))
    csv_response = client.get(export.format(fmt="csv"))

    assert ndjson.status_code == csv_response.status_code == HTTPStatus.OK
    assert ndjson["Content-Type"] == "application/x-ndjson"
    body = b"".join(ndjson.streaming_content) if ndjson.streaming else ndjson.content
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["slug"] for line in lines] == [p.slug for p in posts]
    assert set(lines[0]) == {"id", "title", "slug", "author", "category", "published_at"}
    text = (
        b"".join(csv_response.streaming_content) if csv_response.streaming else csv_response.content
    ).decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["slug"] for row in table] == [p.slug for p in posts]
    assert "Secret draft" not in text


def test_only_the_optimized_export_streams(client) -> None:
    PostFactory.create()

    assert client.get("/api/v1/posts/export.ndjson").streaming
    assert not client.get("/api/v1/naive/post-export/ndjson/").streaming


def test_unknown_format_is_404(client) -> None:
    assert client.get("/api/v1/posts/export.xml").status_code == HTTPStatus.NOT_FOUND


def test_streamed_export_memory_stays_flat_while_the_list_grows() -> None:
    def peaks() -> dict[str, int]:
        return {
            variant: peak_memory(
                lambda url=url: render_page(url, keep_body=False)  # type: ignore[misc]
            )
            for variant, url in {
                "naive": "/api/v1/naive/post-export/ndjson/",
                "optimized": "/api/v1/posts/export.ndjson",
            }.items()
        }

    author, category = UserFactory.create(), CategoryFactory.create()

    def add_posts(start: int, stop: int) -> None:
        now = timezone.now()
        Post.objects.bulk_create(
            Post(
                author=author,
                category=category,
                title=f"Post {i}",
                slug=f"post-{i}",
                body="Body.",
                status=Post.Status.PUBLISHED,
                published_at=now,
            )
            for i in range(start, stop)
        )

    add_posts(0, 1_000)
    small = peaks()
    add_posts(1_000, 20_000)
    assert Post.objects.published().count() == 20_000
    large = peaks()

    assert large["optimized"] < small["optimized"] * 2  # flat: one chunk at a time
    assert large["naive"] > small["naive"] * 8  # grows with the rows
    assert large["naive"] > large["optimized"] * 10


@pytest.mark.parametrize("export", EXPORTS)
def test_csv_cells_never_run_as_spreadsheet_formulas(client, export) -> None:
    """OWASP's CSV injection: a title a spreadsheet would evaluate is exported as text."""
    titles = [
        '=HYPERLINK("https://attacker.example","click")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tTabbed",
        "\rReturned",
        "Plain = fine",
    ]
    for title in titles:
        PostFactory.create(title=title)

    csv_response = client.get(export.format(fmt="csv"))
    ndjson = client.get(export.format(fmt="ndjson"))

    def body(response) -> str:
        return (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()

    exported = [row["title"] for row in csv.DictReader(io.StringIO(body(csv_response)))]
    assert exported == [f"'{title}" for title in titles[:-1]] + ["Plain = fine"]
    assert [json.loads(line)["title"] for line in body(ndjson).splitlines()] == titles
