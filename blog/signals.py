"""Move the stats on whenever what they count changes (wired up in BlogConfig.ready()).

Bulk writes send no signals; the services that make them call invalidate_stats() themselves.
No m2m_changed receiver on the post-tag relation: a post's tags change with the post, whose
post_save already fires, and any receiver there would cost every `tags.add()` an extra SELECT
(Django skips its one-INSERT fast path when a signal must be sent).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from users.models import User

from .models import Comment, Post
from .stats import invalidate_stats


@receiver(post_save, sender=Post)
@receiver(post_delete, sender=Post)
@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def stats_changed(**_: Any) -> None:
    invalidate_stats()
