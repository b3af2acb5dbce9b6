"""Break the code on purpose and check that a behavioural test notices, and names the problem.

Each mutation is a change a reviewer might miss: eager loading removed, a filter loosened (drafts
counted as published), a tie-breaker dropped from a keyset, only() or defer() removed, a cache
invalidation left out, F() replaced by read-modify-write, a count left None. The project's
tracked files are copied to a temporary folder once; each mutation is applied there in turn, and
only the tests that guard it run (not the whole suite, and never a check that generated docs are
fresh: docs/patterns.md embeds the source, so any edit, a comment included, would fail it and
"catch" every mutation). The first test that fails is printed: it must be one whose name says
what broke. A control mutation (a comment) must survive, or the runner counts edits, not bugs.

Mutations marked `postgres` show only on PostgreSQL (a race between two INSERTs) and run there,
with the DATABASE_URL and REDIS_URL of scripts/with-services.sh (`make mutation` provides them);
the others run on SQLite and the local-memory cache, as `make test` does. Hypothesis runs its
`mutation` profile: the same examples every time, no shrinking (tests/conftest.py).

    scripts/with-services.sh python scripts/mutation.py      # or: make mutation
    python scripts/mutation.py querycheck strict              # only those whose names match
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

COUNTS = "tests/querylab/test_cases.py"
SAME_ROWS = "tests/querylab/test_same_rows.py"
PAGINATION = "tests/blog/test_pagination_walk.py"
COLUMNS = "tests/querylab/test_columns.py"
INVALIDATION = "tests/blog/test_stats_invalidation.py"
FEED_CACHE = "tests/blog/test_feed_cache.py"
VIEW_RACE = "tests/blog/test_view_counter_concurrency.py"
SLUG_RACE = "tests/api/test_concurrent_writes.py"
REPLICA_TESTS = "tests/config/test_replicas.py"
LATENCY_TESTS = "tests/querylab/test_latency_proxy.py"
PGBOUNCER_TESTS = "tests/config/test_pgbouncer.py"
PAGE_COST = "tests/querylab/test_page_cost.py"
RELATIONS = "tests/querycheck/test_relations.py"
SUGGESTIONS = "tests/querylab/test_fix_suggestions.py"
STRICT = "tests/querylab/test_strict_loading.py"
CONDITIONAL = "tests/blog/test_conditional.py"
CACHE_HEADERS = "tests/api/test_cache_headers.py"
COMPRESSION = "tests/api/test_compression.py"


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    postgres: bool = False
    control: bool = False  # a harmless change: the tests must pass


MUTATIONS = [
    # Eager loading removed: the counts grow.
    Mutation(
        "post-list: no select_related",
        "blog/selectors/pairs.py",
        'Post.objects.published().select_related("author", "category").newest_first()[:limit]',
        "Post.objects.published().newest_first()[:limit]",
        (COUNTS,),
    ),
    Mutation(
        "feed: no select_related chain",
        "blog/selectors/pairs.py",
        '        .select_related("author__profile", "category")\n        .only(*FEED_POST_FIELDS)',
        '        .only("id", "title", "slug", "published_at", "author", "category")',
        (COUNTS,),
    ),
    Mutation(
        "feed: tags not prefetched",
        "blog/selectors/pairs.py",
        'Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="tag_list"),',
        "",
        (COUNTS,),
    ),
    Mutation(
        "feed: comment authors not joined in the Prefetch",
        "blog/selectors/pairs.py",
        '        Comment.objects.select_related("author")\n        .only(*FEED_COMMENT_FIELDS)',
        '        Comment.objects.only("id", "body", "created_at", "post", "author")',
        (COUNTS,),
    ),
    Mutation(
        "post detail: commenter profiles not joined",
        "blog/selectors/pairs.py",
        'comment_rows = Comment.objects.select_related("author__profile")',
        'comment_rows = Comment.objects.select_related("author")',
        (COUNTS,),
    ),
    Mutation(
        "category-latest: no Prefetch",
        "blog/selectors/pairs.py",
        "    return Category.objects.prefetch_related(\n"
        '        Prefetch("posts", queryset=newest, to_attr="latest_posts")\n'
        '    ).order_by("name", "id")[:limit]',
        "    return category_latest_naive(limit=limit)  # type: ignore[return-value]",
        (COUNTS,),
    ),
    Mutation(
        "user-directory: profile not joined",
        "blog/authors.py",
        'User.objects.select_related("profile")\n        .annotate(',
        "User.objects.annotate(",
        (COUNTS,),
    ),
    Mutation(
        "post-feed: the declaration's optimized selector swapped for the naive one",
        "blog/cases.py",
        "naive=selectors.post_feed_naive, optimized=selectors.post_feed_optimized",
        "naive=selectors.post_feed_naive, optimized=selectors.post_feed_naive",
        (COUNTS,),
    ),
    Mutation(
        "users API: optimized selector swapped for the naive one",
        "blog/api_urls.py",
        "UserCollectionAPI.as_view(selector=authors.user_directory_optimized,",
        "UserCollectionAPI.as_view(selector=authors.user_directory_naive,",
        ("tests/api/test_users_api.py",),
    ),
    Mutation(
        "admin: changelist joins nothing",
        "blog/admin.py",
        'list_select_related = ["author", "category"]',
        "list_select_related = ()",
        ("tests/querylab/test_admin_case.py", "tests/test_admin.py"),
    ),
    # Filters loosened: the counts stay, the rows change.
    Mutation(
        "post-latest-comment: the subquery not correlated with its post",
        "blog/selectors/pairs.py",
        'newest = Comment.objects.filter(post=OuterRef("pk")).newest_first()',
        "newest = Comment.objects.newest_first()",
        (COUNTS, SAME_ROWS),
    ),
    Mutation(
        "tag-cloud: drafts counted as published",
        "blog/selectors/pairs.py",
        'return Tag.objects.annotate(post_count=Count("posts", filter=published))',
        'return Tag.objects.annotate(post_count=Count("posts"))',
        (COUNTS, SAME_ROWS),
    ),
    Mutation(
        "posts-i-commented: Exists() ignores which viewer commented",
        "blog/selectors/pairs.py",
        'commented = Comment.objects.filter(post=OuterRef("pk"), author_id=viewer_id)',
        'commented = Comment.objects.filter(post=OuterRef("pk"))',
        (COUNTS, SAME_ROWS),
    ),
    Mutation(
        "user-directory: the latest title may be a draft's",
        "blog/authors.py",
        'Post.objects.published().filter(author=OuterRef("pk")).newest_first().values("title")',
        'Post.objects.filter(author=OuterRef("pk")).newest_first().values("title")',
        (COUNTS, SAME_ROWS),
    ),
    Mutation(
        "stats: top authors count drafts",
        "blog/stats.py",
        'User.objects.annotate(published_posts=Count("posts", filter=published))',
        'User.objects.annotate(published_posts=Count("posts"))',
        (SAME_ROWS,),
    ),
    Mutation(
        "async-gather: the one aggregate counts drafts as published",
        "blog/async_reads.py",
        'published=Count("id", filter=Q(status=PostStatus.PUBLISHED), distinct=True),',
        'published=Count("id", distinct=True),',
        (SAME_ROWS,),
    ),
    # Tie-breakers dropped: pages skip or repeat rows that share a timestamp.
    Mutation(
        "keyset: seeking older rows without the tie-breaker",
        "blog/pagination.py",
        "    return Q(published_at__lt=cursor.published_at) | Q(\n"
        "        published_at=cursor.published_at, id__lt=cursor.id\n    )",
        "    return Q(published_at__lt=cursor.published_at)",
        (PAGINATION, COUNTS),
    ),
    Mutation(
        "keyset: seeking newer rows (previous links) without the tie-breaker",
        "blog/pagination.py",
        "    return Q(published_at__gt=cursor.published_at) | Q(\n"
        "        published_at=cursor.published_at, id__gt=cursor.id\n    )",
        "    return Q(published_at__gt=cursor.published_at)",
        (PAGINATION,),
    ),
    Mutation(
        "newest_first(): the id left out of the order",
        "blog/querysets.py",
        'return self.order_by("-published_at", "-id")',
        'return self.order_by("-published_at")',
        (PAGINATION,),
    ),
    # Column claims: only() / defer() removed, the query count unchanged.
    Mutation(
        "post-titles: only() removed",
        "blog/selectors/pairs.py",
        '"""Fetch only the columns the list shows. Queries: 1."""\n'
        "    return Post.objects.published().only(*TITLE_FIELDS).newest_first()[:limit]",
        '"""Fetch only the columns the list shows. Queries: 1."""\n'
        "    return Post.objects.published().newest_first()[:limit]",
        (COLUMNS,),
    ),
    Mutation(
        "feed: only() removed, every column fetched",
        "blog/selectors/pairs.py",
        "        .only(*FEED_POST_FIELDS)\n",
        "",
        (COLUMNS,),
    ),
    # Cache invalidation left out of a write path.
    Mutation(
        "stats: comments no longer move the stats on",
        "blog/signals.py",
        "SHOWN = (Post, Comment, User, Tag, Profile, Category)",
        "SHOWN = (Post, User, Tag, Profile, Category)",
        (INVALIDATION,),
    ),
    Mutation(
        "feed cache: a profile's location no longer moves the feed on",
        "blog/signals.py",
        "SHOWN = (Post, Comment, User, Tag, Profile, Category)",
        "SHOWN = (Post, Comment, User, Tag, Category)",
        (FEED_CACHE,),
    ),
    Mutation(
        "feed cache: the bulk retitle does not invalidate",
        "blog/services.py",
        "        invalidate_content()  # bulk_update() sends no signals; the cached feed shows"
        " titles\n",
        "",
        (FEED_CACHE,),
    ),
    Mutation(
        "stats cache: a version series restarts at 1 after a flush",
        "blog/content_version.py",
        "    return time.time_ns()\n",
        "    return 1\n",
        ("tests/blog/test_stats_cache.py",),
    ),
    Mutation(
        "post-feed: defer the body only, fetching every other column again",
        "blog/selectors/pairs.py",
        "        .only(*FEED_POST_FIELDS)\n",
        '        .defer("body")\n',
        ("tests/blog/test_feed_columns.py",),
    ),
    Mutation(
        "stats: the bulk publish does not invalidate",
        "blog/services.py",
        "    invalidate_content()  # update() sends no signals\n",
        "",
        (INVALIDATION,),
    ),
    Mutation(
        "stats: the seed does not invalidate",
        "blog/demo_data.py",
        "        invalidate_content()  # bulk inserts send no signals\n",
        "",
        (INVALIDATION,),
    ),
    # A lost update: F() replaced by read-modify-write (shown on SQLite with threads).
    Mutation(
        "view-counter: F() replaced by read-modify-write",
        "blog/services.py",
        "    published = Post.objects.published().filter(slug=slug)\n"
        '    if not published.update(view_count=F("view_count") + 1):\n'
        '        raise Http404("No published post has this slug.")\n'
        '    return published.values_list("view_count", flat=True).get()',
        "    post = get_object_or_404(Post.objects.published(), slug=slug)\n"
        "    post.view_count += 1\n"
        '    post.save(update_fields=["view_count"])\n'
        "    return post.view_count",
        (VIEW_RACE,),
    ),
    # An output that breaks its schema: a count left None is a server error, not a 422.
    Mutation(
        "counts: the COUNT subquery without Coalesce (None for no rows)",
        "core/query_utils.py",
        "    return Coalesce(Subquery(per_row, output_field=IntegerField()), 0)",
        "    return Subquery(per_row, output_field=IntegerField())  # type: ignore[return-value]",
        (SAME_ROWS, COUNTS),
    ),
    # A case page that shows what its formula says instead of what the request ran.
    Mutation(
        "page measurement: the formula shown as the count",
        "querylab/page_measurement.py",
        "            queries=len(mine),",
        "            queries=case.formula(variant).at(shown_rows(response, output)[1]),",
        (PAGE_COST,),
    ),
    # The session's and user's queries counted as the page's (a staff user's admin page).
    Mutation(
        "page measurement: the user loaded inside the count",
        "querylab/page_measurement.py",
        "            user.is_authenticated  # noqa: B018 - evaluated for its side effect\n",
        "            pass\n",
        (PAGE_COST,),
    ),
    # The toolkit's suggestions and strict loading (querycheck.relations).
    Mutation(
        "querycheck: the fix forgets the relations that led to the lazy load",
        "querycheck/src/querycheck/relations.py",
        '    lookup = "__".join(step.accessor for step in steps)',
        '    lookup = steps[-1].accessor if steps else ""',
        (RELATIONS, SUGGESTIONS),
    ),
    Mutation(
        "querycheck: a sliced or filtered relation taken for a plain one",
        "querycheck/src/querycheck/relations.py",
        "        narrowed = (\n            query.is_sliced\n",
        "        narrowed = False and (\n            query.is_sliced\n",
        (RELATIONS, SUGGESTIONS),
    ),
    Mutation(
        "strict loading: a deferred field let through",
        "querycheck/src/querycheck/relations.py",
        "        with _loading_as(load):\n            return original(self, instance, cls)",
        "        with _loading_as(load, enforce=False):\n"
        "            return original(self, instance, cls)",
        (RELATIONS, STRICT),
    ),
    Mutation(
        "waste: a prefetch read through its manager not seen",
        "querycheck/src/querycheck/relations.py",
        "                if waste.recording():  # served from a prefetch: the prefetch was used\n",
        "                if False:  # served from a prefetch: the prefetch was used\n",
        ("tests/querycheck/test_waste.py",),
    ),
    Mutation(
        "auto tier: rows never told their peers",
        "querylab/auto_tier.py",
        "            and len(rows) >= 2\n",
        "            and len(rows) >= 2**62\n",
        ("tests/querylab/test_auto_tier.py",),
    ),
    # Read replicas (core/replicas.py), against the real replica make mutation starts.
    Mutation(
        "replicas: a writer's later reads not pinned",
        "core/replicas.py",
        "        token = _pinned.set(writes or _cookie_pins(request))",
        "        token = _pinned.set(writes)",
        (REPLICA_TESTS,),
        postgres=True,
    ),
    Mutation(
        "replicas: reads inside a transaction sent to a replica",
        "core/replicas.py",
        "        if _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:",
        "        if _pinned.get():",
        (REPLICA_TESTS,),
        postgres=True,
    ),
    Mutation(
        "replicas: the cached stats filled from a replica that is behind",
        "blog/stats.py",
        "    with pinned_to_primary():\n        numbers = stats_optimized()",
        "    if True:\n        numbers = stats_optimized()",
        (REPLICA_TESTS,),
        postgres=True,
    ),
    Mutation(
        "replicas: a replica that is down not skipped",
        "core/replicas.py",
        "    except OperationalError as error:",
        "    except ZeroDivisionError as error:",
        (REPLICA_TESTS,),
        postgres=True,
    ),
    # The PgBouncer switch (config/env.py), against the PgBouncer make mutation starts.
    Mutation(
        "pgbouncer switch: server-side cursors left on",
        "config/env.py",
        '        config["DISABLE_SERVER_SIDE_CURSORS"] = True',
        '        config["DISABLE_SERVER_SIDE_CURSORS"] = False',
        (PGBOUNCER_TESTS,),
        postgres=True,
    ),
    Mutation(
        "pgbouncer switch: prepared statements left on",
        "config/env.py",
        '        config.setdefault("OPTIONS", {})["prepare_threshold"] = None',
        '        config.setdefault("OPTIONS", {})["prepare_threshold"] = 0',
        (PGBOUNCER_TESTS,),
        postgres=True,
    ),
    # The latency proxy (querylab/latency_proxy.py): a delay that is not added.
    Mutation(
        "latency proxy: no delay",
        "querylab/latency_proxy.py",
        "    one_way = round_trip_ms / 2000",
        "    one_way = 0.0",
        (LATENCY_TESTS,),
    ),
    # Conditional GET (core/conditional.py, blog/conditional.py): a 304 that costs the work,
    # a tag that ignores who asks, a validator that a write does not move.
    Mutation(
        "conditional GET: the feed rendered before the validator is compared",
        "core/conditional.py",
        "    validation = validator()\n    if validation is None:",
        "    render()\n    validation = validator()\n    if validation is None:",
        (COUNTS, CONDITIONAL),
    ),
    Mutation(
        "conditional GET: a recent change rendered from a replica",
        "core/conditional.py",
        "    with pinned_to_primary() if validation.recent else nullcontext():",
        "    with nullcontext():",
        (CONDITIONAL,),
    ),
    Mutation(
        "conditional GET: the ETag does not name the viewer",
        "blog/conditional.py",
        "        etag=weak_etag(state.version, viewer, schema_fingerprint(schema)),",
        "        etag=weak_etag(state.version, schema_fingerprint(schema)),",
        (CONDITIONAL,),
    ),
    Mutation(
        "conditional GET: a comment does not move the content version",
        "blog/signals.py",
        "SHOWN = (Post, Comment, User, Tag, Profile, Category)",
        "SHOWN = (Post, User, Tag, Profile, Category)",
        (CONDITIONAL,),
    ),
    # Cache headers and compression (core/cache_policy.py, core/compression.py).
    Mutation(
        "cache headers: a signed-in read marked public",
        "core/cache_policy.py",
        "    if policy is CachePolicy.PUBLIC and not authenticated:",
        "    if policy is CachePolicy.PUBLIC:",
        (CACHE_HEADERS,),
    ),
    Mutation(
        "compression: a private response compressed (BREACH)",
        "core/compression.py",
        '        if response.has_header("Content-Encoding") or depends_on_who_asks(response):',
        '        if response.has_header("Content-Encoding"):',
        (COMPRESSION,),
    ),
    # A race only PostgreSQL can stage: two INSERTs of one slug.
    Mutation(
        "slugs: no retry when a concurrent write took the slug",
        "blog/services.py",
        "    for attempt in range(SLUG_ATTEMPTS):",
        "    for attempt in range(1):",
        (SLUG_RACE,),
        postgres=True,
    ),
]
# The controls run first: a comment, which every test the mutations use must let through. They
# also show those tests pass on the unmutated copy, where a failure would "catch" everything.
CONTROL = ("def post_list_optimized(*, limit: int) -> QuerySet[Post]:\n", "    # A comment.\n")
MUTATIONS[:0] = [
    Mutation(
        f"control on {'PostgreSQL' if postgres else 'SQLite'}: a comment (must survive)",
        "blog/selectors/pairs.py",
        CONTROL[0],
        CONTROL[0] + CONTROL[1],
        tuple(sorted({t for m in MUTATIONS if m.postgres == postgres for t in m.tests})),
        postgres=postgres,
        control=True,
    )
    for postgres in (False, True)
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


def environment(copy: Path, *, postgres: bool) -> dict[str, str]:
    # The copy's querycheck before the installed one (requirements/local.txt installs it
    # editable from the original checkout): its mutations must be the ones that run.
    path = os.pathsep.join(
        p for p in (str(copy / "querycheck" / "src"), os.environ.get("PYTHONPATH")) if p
    )
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "PYTHONPATH": path}
    if not postgres:
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env.pop("DATABASE_REPLICA_URLS", None)  # replicas need their PostgreSQL primary
        env.pop("DATABASE_PGBOUNCER_URL", None)
    return env


class TestsDidNotRunError(Exception):
    """pytest ended without running the tests: a mutation is never "caught" by that."""


def first_failure(copy: Path, mutation: Mutation) -> str | None:
    """Run the mutation's tests in the copy; the first failing test's id, or None."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-x",
            "-q",
            "-rf",
            "-p",
            "no:cacheprovider",
            *(["--require-services"] if mutation.postgres else []),
            *mutation.tests,
        ],
        cwd=copy,
        env=environment(copy, postgres=mutation.postgres),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return None
    if result.returncode != 1:  # not "tests failed": no test ran (a missing file, a usage error)
        output = (result.stdout + result.stderr)[-2000:]
        raise TestsDidNotRunError(f"{mutation.name}: its tests did not run:\n{output}")
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    return failed.group(1) if failed else (result.stdout + result.stderr)[-2000:]


def main(names: list[str]) -> int:
    """Every mutation, or (for a quick check while writing one) those whose names contain one of
    `names`, without the controls."""
    chosen = [m for m in MUTATIONS if not names or any(n in m.name for n in names)]
    if names:
        chosen = [m for m in chosen if not m.control]
    if any(m.postgres for m in chosen) and not os.environ.get("DATABASE_URL"):
        print("error: some mutations need PostgreSQL: run under scripts/with-services.sh")
        return 2
    problems = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as folder:
        copy = Path(folder)
        copy_project(copy)
        for mutation in chosen:
            target = copy / mutation.path
            original = target.read_text()
            if original.count(mutation.old) != 1:
                print(f"error: {mutation.name}: the code to mutate is not in {mutation.path}")
                return 2
            target.write_text(original.replace(mutation.old, mutation.new))
            started = time.monotonic()
            try:
                failure = first_failure(copy, mutation)
            finally:
                target.write_text(original)
            seconds = time.monotonic() - started
            where = "PostgreSQL" if mutation.postgres else "SQLite"
            if mutation.control:
                verdict = "survived" if failure is None else "CAUGHT"
                if failure is not None:
                    print(f"error: {mutation.name}: {failure} fails without a bug; fix that first")
                    return 2
            else:
                verdict = "caught" if failure is not None else "SURVIVED"
                if failure is None:
                    problems.append(f"{mutation.name}: no test failed")
            print(f"{verdict:>8}  {seconds:5.1f} s  {where:<10}  {mutation.name}")
            if failure is not None:
                print(f"{'':>8}  by {failure}")
    if problems:
        print(f"{len(problems)} of {len(chosen)} mutations went the wrong way:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    controls = "every control passed" if not names else "controls not run (a filtered run)"
    print(f"All {len(chosen)} went as they should: every bug caught, {controls}.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except TestsDidNotRunError as error:
        print(f"error: {error}")
        sys.exit(2)
