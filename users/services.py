"""Writes for accounts: sign-up and editing your own. The schemas have checked every value; these
check what only the database knows (a taken name or address) and write in one transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import DomainConflictError, violated_constraint

from .models import Profile, User
from .schemas import MePatchIn, UserIn


def user_sign_up(*, data: UserIn) -> User:
    """Create the user and, in the same transaction (`User.save`), its profile. Queries: 5."""
    _check_free(username=data.username, email=data.email)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=data.username,
                email=data.email,
                password=data.password.get_secret_value(),
                first_name=data.first_name,
                last_name=data.last_name,
            )
    except IntegrityError as error:
        # Another sign-up took the name or address between the check and the insert: point at
        # the one whose constraint broke.
        if "email" in violated_constraint(error):
            raise _taken("e-mail address", loc=("email",)) from None
        raise _taken("username", loc=("username",)) from None


def user_update_me(*, user: User, data: MePatchIn) -> User:
    """Apply the fields sent, to the user and to the profile, in one transaction."""
    changes = data.model_dump(exclude_unset=True, mode="json")
    profile_changes = changes.pop("profile", {})
    if "email" in changes:
        _check_free(email=changes["email"], exclude=user)
    try:
        with transaction.atomic():
            if changes:
                for name, value in changes.items():
                    setattr(user, name, value)
                user.save(update_fields=list(changes))
            if profile_changes:
                profile: Profile = user.profile
                for name, value in profile_changes.items():
                    setattr(profile, name, value)
                profile.save(update_fields=list(profile_changes))
    except IntegrityError:
        raise _taken("e-mail address", loc=("email",)) from None
    return user


def _check_free(*, username: str | None = None, email: str, exclude: User | None = None) -> None:
    others = User.objects.exclude(pk=exclude.pk) if exclude else User.objects.all()
    if username is not None and others.filter(username__iexact=username).exists():
        raise _taken("username", loc=("username",))
    if others.filter(email__iexact=email).exists():
        raise _taken("e-mail address", loc=("email",))


def _taken(what: str, *, loc: tuple[str, ...]) -> DomainConflictError:
    # The message names the field, never the value: a 409 must not confirm whose address it is
    # beyond what the client already sent.
    return DomainConflictError(f"This {what} is taken.", loc=loc, code="taken")
