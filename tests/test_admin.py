"""Every model has a working admin with search and filters; its lists cost a fixed few queries."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Comment, Post
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"users", "blog"}
PROJECT_MODEL_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in PROJECT_APPS
]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_every_project_model_is_registered() -> None:
    from django.apps import apps

    models = {m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()}
    registered = {model for model, _ in PROJECT_MODEL_ADMINS}
    through_tables = {Post.tags.through}

    assert models - through_tables == registered


@pytest.mark.parametrize(
    ("model", "model_admin"), PROJECT_MODEL_ADMINS, ids=lambda v: getattr(v, "__name__", "")
)
def test_changelist_search_filters_and_add_page_work(staff_client, model, model_admin) -> None:
    call_command("seed", "--users=3", "--posts-per-user=2", verbosity=0)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    assert model_admin.search_fields, f"{opts.model_name} admin has no search"
    assert model_admin.list_filter, f"{opts.model_name} admin has no filters"
    assert staff_client.get(changelist).status_code == HTTPStatus.OK
    assert staff_client.get(changelist, {"q": "a"}).status_code == HTTPStatus.OK
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert staff_client.get(add).status_code == HTTPStatus.OK
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert staff_client.get(change).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", [Post, Comment], ids=["post", "comment"])
def test_changelist_query_count_does_not_grow_with_rows(staff_client, model) -> None:
    def queries_for_changelist() -> int:
        url = reverse(f"admin:blog_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert len(response.context["cl"].result_list) == model.objects.count()
        return len(captured.captured_queries)

    PostFactory.create_batch(2, comments=1)
    few = queries_for_changelist()
    PostFactory.create_batch(10, comments=2)
    many = queries_for_changelist()

    assert model.objects.count() > 10
    assert few == many


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(None, HTTPStatus.FOUND, id="anonymous: to the login page"),
        pytest.param({}, HTTPStatus.FOUND, id="a signed-in user who is not staff: to the login"),
        pytest.param({"is_staff": True}, HTTPStatus.FORBIDDEN, id="staff without permission"),
    ],
)
def test_the_admin_is_for_staff_with_permissions_only(client, who, expected) -> None:
    PostFactory.create()
    if who is not None:
        client.force_login(UserFactory.create(**who))

    response = client.get(reverse("admin:blog_post_changelist"))

    assert response.status_code == expected
    if expected == HTTPStatus.FOUND:
        assert response["Location"].startswith(reverse("admin:login"))
