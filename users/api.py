"""The users JSON API: sign-up and your own account. The directory and public profiles join
users to posts, so they are blog's (blog.api), at the same addresses."""

from __future__ import annotations

from http import HTTPStatus
from typing import ClassVar

from django.http import HttpResponse
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request

from core.api import APIView, json_response, parse_body
from core.cache_policy import CachePolicy
from core.openapi import ResponseModels
from core.throttling import WriteRateThrottle

from . import schemas, selectors, services
from .auth import requesting_user


class SignUpAPI(APIView):
    """`POST /api/v1/users/`: sign up, no login needed (a logged-in client may create another
    account too, as anyone may); throttled per address. blog.api.UserCollectionAPI serves it,
    with the author directory at the same address."""

    permission_classes = [AllowAny]
    throttle_classes = [WriteRateThrottle]
    cache_policy = CachePolicy.NO_STORE
    request_models = {"POST": schemas.UserIn}
    response_models: ClassVar[ResponseModels] = {"POST": {201: schemas.MeOut}}

    def post(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.UserIn)
        user = services.user_sign_up(data=data)
        return json_response(schemas.ME, selectors.user_me(pk=user.pk), status=HTTPStatus.CREATED)


class MeAPI(APIView):
    """`GET | PATCH /api/v1/users/me/`: your own account and profile, and nobody else's: the
    URL names no one, so there is no one else's to address."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteRateThrottle]
    cache_policy = CachePolicy.NO_STORE  # an email address, and nobody else's business
    request_models = {"PATCH": schemas.MePatchIn}
    response_models = {"GET": {200: schemas.MeOut}, "PATCH": {200: schemas.MeOut}}

    def get(self, request: Request) -> HttpResponse:
        return json_response(schemas.ME, selectors.user_me(pk=requesting_user(request).pk))

    def patch(self, request: Request) -> HttpResponse:
        data = parse_body(request, schemas.MePatchIn)
        me = selectors.user_me(pk=requesting_user(request).pk)
        return json_response(schemas.ME, services.user_update_me(user=me, data=data))
