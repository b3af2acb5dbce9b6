"""Mail to a post's author when someone comments: sent after the comment commits, never before.

Sending from `transaction.on_commit` means a rolled-back comment sends nothing, and a slow or
failing mail server cannot hold a database transaction open. A failure to send is logged and
dropped: the comment is saved, and the mail is a courtesy, not part of the write.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail

from .models import Comment

logger = logging.getLogger(__name__)


def notify_author_of_comment(comment_id: int) -> bool:
    """Mail the post's author about one comment. Queries: 1. Return whether a mail went out."""
    comment = Comment.objects.select_related("post__author", "author").filter(pk=comment_id).first()
    if comment is None:  # deleted before the callback ran
        return False
    recipient = comment.post.author
    if not recipient.email or recipient.pk == comment.author_id:
        return False
    # A header may not contain a line break (Django refuses it): the title is folded to one line.
    title = " ".join(comment.post.title.split())
    try:
        send_mail(
            subject=f"New comment on “{title}”",
            message=(
                f"{comment.author.get_username()} commented on your post “{title}”:\n\n"
                f"{comment.body}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    except (smtplib.SMTPException, OSError):
        logger.warning("comment notification for comment %s not sent", comment_id, exc_info=True)
        return False
    return True
