"""The custom user (swappable from the first migration) and its one-to-one profile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models.functions import Lower


class User(AbstractUser):
    """Django's user, owned by the project so fields can be added without a painful migration."""

    # Not columns: set by the user-directory selectors, by annotation or by a loop.
    published_post_count: int
    latest_post_title: str | None
    comment_count: int

    class Meta:
        # AbstractUser's names, restated: a Meta of one's own replaces its Meta.
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            # Sign-up compares names and addresses case-insensitively (users.services); these
            # hold the rule when two requests race past that check, so the loser gets a 409.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"
            ),
        ]

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
