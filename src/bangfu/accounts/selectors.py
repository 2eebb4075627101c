"""Reads of user accounts, restricted to the reader's area."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bangfu.accounts.models import ApiToken, User
from bangfu.core.scoping import CITY_CODE


def user_list(*, user: User, query: str = "", role: str = "") -> QuerySet[User]:
    """Users whose area lies within the reader's area."""
    users = User.objects.all() if user.area_code == CITY_CODE else User.objects.filter(
        area_code__startswith=user.area_code)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    if role:
        users = users.filter(role=role)
    return users.order_by("area_code", "username")


def user_get(*, user: User, pk: int) -> User:
    return user_list(user=user).get(pk=pk)


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The reader's own API tokens, newest first (never another user's)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get(*, user: User, pk: int) -> ApiToken:
    return token_list(user=user).get(pk=pk)
