"""The users JSON API: the directory (a case, mounted per variant), sign-up, one user's public
profile, and your own account."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpResponse
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request

from core.api import APIView, json_response, parse_body, requesting_user
from core.case_api import CaseAPIView, results_model
from core.throttling import WriteRateThrottle

from . import schemas, selectors, services


class UserDirectoryCaseAPI(CaseAPIView):
    item_model = schemas.UserDirectoryOut


class UserCollectionAPI(UserDirectoryCaseAPI):
    """`GET /api/v1/users/`: the directory. `POST`: sign up, no login needed (a logged-in
    client may create another account too, as anyone may); throttled per address."""

    permission_classes = [AllowAny]
    throttle_classes = [WriteRateThrottle]
    request_models = {"POST": schemas.UserIn}
    response_models = {
        "GET": {200: results_model(schemas.UserDirectoryOut)},
        "POST": {201: schemas.MeOut},
    }

    def post(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.UserIn)
        user = services.user_sign_up(data=data)
        return json_response(schemas.ME, selectors.user_me(pk=user.pk), status=HTTPStatus.CREATED)


class UserDetailAPI(APIView):
    """`GET /api/v1/users/{username}/`: profile, published-post and comment counts."""

    response_models = {"GET": {200: schemas.UserDetailOut}}

    def get(self, request: Request, username: str) -> HttpResponse:
        return json_response(schemas.USER_DETAIL, selectors.user_get_profile(username=username))


class MeAPI(APIView):
    """`GET | PATCH /api/v1/users/me/`: your own account and profile, and nobody else's: the
    URL names no one, so there is no one else's to address."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteRateThrottle]
    request_models = {"PATCH": schemas.MePatchIn}
    response_models = {"GET": {200: schemas.MeOut}, "PATCH": {200: schemas.MeOut}}

    def get(self, request: Request) -> HttpResponse:
        return json_response(schemas.ME, selectors.user_me(pk=requesting_user(request).pk))

    def patch(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.MePatchIn)
        me = selectors.user_me(pk=requesting_user(request).pk)
        return json_response(schemas.ME, services.user_update_me(user=me, data=data))
