"""Every write path that changes what the cached stats show moves them on after its commit, and
not before; every other write path is shown to leave them as they were.

The paths are enumerated from the code, not listed by hand: each public function of the write
modules, each save and delete of each model of the two apps (proxies included), and each admin
action. A new one without an entry in WRITE_PATHS fails `test_every_write_path_is_listed`.

How each is checked: warm the cache; make the write inside a transaction whose commit callbacks
are held back; the stats computed afresh now differ (the write matters) while the cached stats
are still the old ones (nothing moved before the commit); run the callbacks (the commit); the
cached stats are now the fresh ones.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.test import Client

from blog import demo_data, services
from blog.models import Category, Comment, NaiveAdminPost, Post, Tag
from blog.schemas import STATS, CommentIn, PostImportIn, PostIn, PostPatchIn, PostRetitleIn
from blog.stats import stats_cached_json, stats_optimized
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory
from users import services as user_services
from users.models import Profile, User
from users.schemas import MePatchIn, UserIn

pytestmark = pytest.mark.django_db

WRITE_MODULES: tuple[ModuleType, ...] = (services, user_services, demo_data)
# Public functions of those modules that write nothing of their own: parts of the writes.
NOT_WRITES = {
    "blog.services.allocate_slugs": "reads the taken slugs",
    "blog.services.with_free_slugs": "runs a write it is given (each is listed)",
    "blog.demo_data.has_demo_data": "reads",
}


@dataclass
class World:
    author: User
    other: User
    category: Category
    tag: Tag
    unused_tag: Tag
    post: Post
    draft: Post
    comment: Comment


@dataclass(frozen=True)
class WritePath:
    write: Callable[[World, Client], Any]
    # False for a path that cannot change what the stats show; the test proves that too.
    moves_stats: bool = True


def new_post(world: World) -> PostIn:
    return PostIn(
        title="A new post", body="Body.", category=world.category.slug, status="published"
    )


def admin_action(model: type[Model], action: str, pk_of: Callable[[World], int]) -> WritePath:
    def run(world: World, staff: Client) -> None:
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        response = staff.post(
            url, {"action": action, "_selected_action": [pk_of(world)], "post": "yes"}
        )
        assert response.status_code == 302, response.content

    return WritePath(run)


def save_of(model: type[Model]) -> WritePath:
    """A save that changes what the stats show, one per counted model."""

    def run(world: World, _: Client) -> None:
        if model in (Post, NaiveAdminPost):
            draft = model.objects.get(pk=world.draft.pk)
            draft.status = Post.Status.PUBLISHED
            draft.published_at = world.post.published_at
            draft.save()
        elif model is Comment:
            Comment(post=world.post, author=world.other, body="Hi.").save()
        elif model is User:
            User(username="newcomer").save()
        elif model is Tag:
            world.tag.name = "renamed"
            world.tag.save()
        elif model is Category:
            world.category.name = "Renamed"
            world.category.save()
        elif model is Profile:
            world.author.profile.location = "Elsewhere"
            world.author.profile.save()

    return WritePath(run, moves_stats=model not in (Category, Profile))


def delete_of(model: type[Model]) -> WritePath:
    def run(world: World, _: Client) -> None:
        if model in (Post, NaiveAdminPost):
            model.objects.get(pk=world.post.pk).delete()
        elif model is Comment:
            world.comment.delete()
        elif model is User:
            world.other.delete()  # with their comment
        elif model is Tag:
            world.tag.delete()
        elif model is Category:
            CategoryFactory.create().delete()
        elif model is Profile:
            world.other.profile.delete()

    return WritePath(run, moves_stats=model not in (Category, Profile))


WRITE_PATHS: dict[str, WritePath] = {
    # blog.services
    "blog.services.post_create": WritePath(
        lambda w, _: services.post_create(author=w.author, data=new_post(w))
    ),
    "blog.services.post_update": WritePath(
        lambda w, _: services.post_update(post=w.post, data=PostPatchIn(tags=["elsewhere"]))
    ),
    "blog.services.post_delete": WritePath(lambda w, _: services.post_delete(post=w.post)),
    "blog.services.comment_create": WritePath(
        lambda w, _: services.comment_create(post=w.post, author=w.other, data=CommentIn(body="!"))
    ),
    # Imports are drafts: the stats count published posts only.
    "blog.services.post_import_naive": WritePath(
        lambda w, _: services.post_import_naive(author=w.author, data=imported(w)),
        moves_stats=False,
    ),
    "blog.services.post_import_optimized": WritePath(
        lambda w, _: services.post_import_optimized(author=w.author, data=imported(w)),
        moves_stats=False,
    ),
    "blog.services.post_publish_drafts_naive": WritePath(
        lambda w, _: services.post_publish_drafts_naive(author=w.author)
    ),
    "blog.services.post_publish_drafts_optimized": WritePath(
        lambda w, _: services.post_publish_drafts_optimized(author=w.author)
    ),
    # Titles are not in the stats.
    "blog.services.post_retitle_naive": WritePath(
        lambda w, _: services.post_retitle_naive(author=w.author, data=retitled(w)),
        moves_stats=False,
    ),
    "blog.services.post_retitle_optimized": WritePath(
        lambda w, _: services.post_retitle_optimized(author=w.author, data=retitled(w)),
        moves_stats=False,
    ),
    # Views are not in the stats.
    "blog.services.post_view_naive": WritePath(
        lambda w, _: services.post_view_naive(slug=w.post.slug), moves_stats=False
    ),
    "blog.services.post_view_optimized": WritePath(
        lambda w, _: services.post_view_optimized(slug=w.post.slug), moves_stats=False
    ),
    # users.services
    "users.services.user_sign_up": WritePath(
        lambda w, _: user_services.user_sign_up(
            data=UserIn.model_validate(
                {
                    "username": "signed-up",
                    "email": "signed-up@example.com",
                    "password": "a-long-password-123",
                    "password_confirm": "a-long-password-123",
                }
            )
        )
    ),
    # Names and addresses: only usernames are in the stats, and a username cannot change here.
    "users.services.user_update_me": WritePath(
        lambda w, _: user_services.user_update_me(
            user=w.author, data=MePatchIn(first_name="Renamed", email="renamed@example.com")
        ),
        moves_stats=False,
    ),
    # blog.demo_data (the seed command)
    "blog.demo_data.seed_demo_data": WritePath(
        lambda w, _: demo_data.seed_demo_data(
            demo_data.SeedSizes(users=2, posts_per_user=3, tags=4, categories=2)
        )
    ),
    "blog.demo_data.flush_demo_data": WritePath(lambda w, _: demo_data.flush_demo_data()),
    "blog.demo_data.ensure_demo_login": WritePath(
        lambda w, _: demo_data.ensure_demo_login(username="demo", password="demo")
    ),
}
# The counted models and the two that are not (their saves must leave the stats as they were).
MODELS: tuple[type[Model], ...] = (
    Post,
    NaiveAdminPost,
    Comment,
    User,
    Tag,
    Category,
    Profile,
)
for _model in MODELS:
    _label = f"{_model._meta.app_label}.{_model.__name__}"
    WRITE_PATHS[f"{_label}.save"] = save_of(_model)
    WRITE_PATHS[f"{_label}.delete"] = delete_of(_model)
ADMIN_TARGETS: dict[type[Model], Callable[[World], int]] = {
    Post: lambda w: w.post.pk,
    NaiveAdminPost: lambda w: w.post.pk,
    Comment: lambda w: w.comment.pk,
    User: lambda w: w.other.pk,
    Tag: lambda w: w.tag.pk,
    Category: lambda w: CategoryFactory.create().pk,
    Profile: lambda w: w.other.profile.pk,
}
for _model, _pk_of in ADMIN_TARGETS.items():
    _path = admin_action(_model, "delete_selected", _pk_of)
    WRITE_PATHS[f"admin.{_model._meta.label}.delete_selected"] = WritePath(
        _path.write, moves_stats=_model not in (Category, Profile)
    )


def imported(world: World) -> PostImportIn:
    row = {"title": "Imported", "body": "Body.", "category": world.category.slug, "tags": ["x"]}
    return PostImportIn.model_validate({"posts": [row]})


def retitled(world: World) -> PostRetitleIn:
    return PostRetitleIn.model_validate({"posts": [{"slug": world.post.slug, "title": "New"}]})


def enumerated_write_paths() -> set[str]:
    """What the code offers: functions of the write modules, model saves and deletes, admin
    actions."""
    found = set()
    for module in WRITE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            qualified = f"{module.__name__}.{name}"
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.add(qualified)
    for config in (apps.get_app_config("blog"), apps.get_app_config("users")):
        for model in config.get_models():
            found |= {f"{config.label}.{model.__name__}.{verb}" for verb in ("save", "delete")}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"blog", "users"}:
            for action in model_admin.get_actions(_staff_request()):
                found.add(f"admin.{model._meta.label}.{action}")
    return found - set(NOT_WRITES)


def _staff_request() -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True)
    return request


def test_every_write_path_is_listed() -> None:
    assert enumerated_write_paths() == set(WRITE_PATHS)


@pytest.fixture
def world() -> World:
    author = UserFactory.create(username="author")
    other = UserFactory.create(username="other")
    tag, unused_tag = TagFactory.create(name="shown"), TagFactory.create(name="unused")
    category = CategoryFactory.create()
    post = PostFactory.create(author=author, category=category, tags=[tag])
    draft = PostFactory.create(author=author, category=category, tags=[tag], draft=True)
    comment = CommentFactory.create(post=post, author=other)
    return World(author, other, category, tag, unused_tag, post, draft, comment)


def fresh_stats() -> bytes:
    return STATS.dump_json(stats_optimized())


@pytest.mark.parametrize("name", sorted(WRITE_PATHS))
def test_a_write_moves_the_stats_on_after_its_commit_and_not_before(
    name, world, admin_client, django_capture_on_commit_callbacks
) -> None:
    path = WRITE_PATHS[name]
    before = stats_cached_json()  # warms the cache
    assert before == fresh_stats()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        path.write(world, admin_client)

    after = fresh_stats()
    if not path.moves_stats:
        assert after == before, "this write changes the stats after all: invalidate on it"
        return
    assert after != before, "the write should change what the stats show"
    assert stats_cached_json() == before  # uncommitted: nothing moved yet
    for callback in callbacks:
        callback()
    assert stats_cached_json() == after
