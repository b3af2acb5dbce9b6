"""Small query expressions the apps share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_subquery(rows: QuerySet[Any], *, pointing_at: str) -> Coalesce:
    """How many of `rows` point at the outer row (their `pointing_at` field is its pk), as a
    correlated COUNT subquery, 0 when none do.

    Unlike `Count()` over a join it needs no GROUP BY of the outer rows, and no other join in the
    outer query can multiply it.
    """
    per_row = (
        rows.filter(**{pointing_at: OuterRef("pk")})
        .order_by()
        .values(pointing_at)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(per_row, output_field=IntegerField()), 0)
