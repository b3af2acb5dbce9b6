"""Break the optimizations on purpose and check that the test suite notices.

For each mutation (eager loading removed from an optimized selector, or an optimized selector
swapped for its naive twin), copy the project's tracked files to a temporary folder, apply the
change there, and run the suite against that copy. The suite must fail every time; a mutation it
survives is reported, and the script exits non-zero. The working tree is never touched.

    python scripts/mutation.py        # or: make mutation
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TESTS = ["tests/querylab", "tests/blog", "tests/api", "tests/test_admin.py"]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str


MUTATIONS = [
    Mutation(
        "post-list: no select_related",
        "blog/selectors.py",
        'Post.objects.published().select_related("author", "category").newest_first()[:limit]',
        "Post.objects.published().newest_first()[:limit]",
    ),
    Mutation(
        "feed: no select_related chain",
        "blog/selectors.py",
        '        .select_related("author__profile", "category")\n        .defer("body")',
        '        .defer("body")',
    ),
    Mutation(
        "feed: tags not prefetched",
        "blog/selectors.py",
        'Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="tag_list"),',
        "",
    ),
    Mutation(
        "feed: comment authors not joined in the Prefetch",
        "blog/selectors.py",
        'recent = Comment.objects.select_related("author").newest_first()',
        "recent = Comment.objects.newest_first()",
    ),
    Mutation(
        "post detail: commenter profiles not joined",
        "blog/selectors.py",
        'comment_rows = Comment.objects.select_related("author__profile")',
        'comment_rows = Comment.objects.select_related("author")',
    ),
    Mutation(
        "category-latest: no Prefetch",
        "blog/selectors.py",
        "    return Category.objects.prefetch_related(\n"
        '        Prefetch("posts", queryset=newest, to_attr="latest_posts")\n'
        '    ).order_by("name", "id")[:limit]',
        "    return category_latest_naive(limit=limit)  # type: ignore[return-value]",
    ),
    Mutation(
        "user-directory: profile not joined",
        "users/selectors.py",
        'User.objects.select_related("profile")\n        .annotate(',
        "User.objects.annotate(",
    ),
    Mutation(
        "feed page: optimized selector swapped for the naive one",
        "blog/urls.py",
        "views.PostFeedView.as_view(selector=s.post_feed_optimized)",
        "views.PostFeedView.as_view(selector=s.post_feed_naive)",
    ),
    Mutation(
        "users API: optimized selector swapped for the naive one",
        "users/api_urls.py",
        'path("users/", api.UserCollectionAPI.as_view(selector=s.user_directory_optimized)',
        'path("users/", api.UserCollectionAPI.as_view(selector=s.user_directory_naive)',
    ),
    Mutation(
        "admin: changelist joins nothing",
        "blog/admin.py",
        'list_select_related = ["author", "category"]',
        "list_select_related = ()",
    ),
]


def tracked_files() -> list[str]:
    output = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in output.splitlines() if line]


def copy_project(target: Path) -> None:
    for name in tracked_files():
        source = PROJECT / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def suite_fails(copy: Path) -> bool:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode != 0


def main() -> int:
    survived = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as folder:
        copy = Path(folder)
        copy_project(copy)
        # A suite that already fails would "catch" every mutation: it must pass unmutated.
        if suite_fails(copy):
            print("error: the suite fails on the unmutated copy; fix that first")
            return 2
        for mutation in MUTATIONS:
            target = copy / mutation.path
            original = target.read_text()
            if original.count(mutation.old) != 1:
                print(f"error: {mutation.name}: the code to mutate is not in {mutation.path}")
                return 2
            target.write_text(original.replace(mutation.old, mutation.new))
            started = time.monotonic()
            caught = suite_fails(copy)
            target.write_text(original)
            verdict = "caught" if caught else "SURVIVED"
            print(f"{verdict:>8}  {time.monotonic() - started:5.1f} s  {mutation.name}")
            if not caught:
                survived.append(mutation.name)
    if survived:
        print(f"{len(survived)} of {len(MUTATIONS)} mutations survived the suite.")
        return 1
    print(f"All {len(MUTATIONS)} mutations were caught by the suite.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
