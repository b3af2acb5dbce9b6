"""The custom user (swappable from the first migration) and its one-to-one profile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction


class User(AbstractUser):
    """Django's user, owned by the project so fields can be added without a painful migration."""

    # Not columns: set by the user-directory selectors, by annotation or by a loop.
    published_post_count: int
    latest_post_title: str | None
    comment_count: int

    def __str__(self) -> str:
        return self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every path that creates one user goes through save(): createsuperuser, the admin,
        # factories, services. Creating the profile here means no user is ever without one.
        # bulk_create skips save(), so the seed command creates profiles itself.
        # savepoint=False: nested in an outer transaction this adds no SAVEPOINT queries.
        creating = self._state.adding
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if creating:
                Profile.objects.create(user=self)


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(blank=True)
    website = models.URLField(blank=True)
    location = models.CharField(max_length=100, blank=True)
    avatar_url = models.URLField(blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"
