"""The users JSON API: the directory (a case, mounted per variant) and one user's profile."""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import json_response
from core.case_api import CaseAPIView

from . import schemas, selectors


class UserDirectoryCaseAPI(CaseAPIView):
    item_model = schemas.UserDirectoryOut


class UserDetailAPI(APIView):
    """`GET /api/v1/users/{username}/`: profile, published-post and comment counts."""

    response_models = {"GET": {200: schemas.UserDetailOut}}

    def get(self, request: Request, username: str) -> HttpResponse:
        return json_response(schemas.USER_DETAIL, selectors.user_get_profile(username=username))
