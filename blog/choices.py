"""Choices shared by the models and their querysets (which the models module imports)."""

from __future__ import annotations

from django.db import models


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
