"""Thin HTML views for users; the user-directory case is mounted once per variant."""

from __future__ import annotations

from core.case_views import CasePageView


class UserDirectoryView(CasePageView):
    template_name = "users/cases/user_directory.html"
