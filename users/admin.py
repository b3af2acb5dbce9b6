"""Admin for users and profiles; each changelist fetches its related rows in the same query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from .models import Profile, User

# Django 6 makes https the scheme a bare domain gets in a URL field; opt in now.
URL_FIELDS_ASSUME_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class ProfileInline(admin.StackedInline[Profile, User]):
    model = Profile
    can_delete = False
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [ProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "date_joined"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ["user", "location", "website"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "location", "bio"]
    list_filter = ["location"]
    raw_id_fields = ["user"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
