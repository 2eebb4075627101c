"""The API root at /api/v1/: session or token auth; each app contributes a router."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from bangfu.accounts.tokens import user_for_token


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` issued by ``bangfu token create``."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None):
        if not key:
            return None
        scheme, _, token = key.partition(" ")
        if scheme.lower() != "token" or not token:
            return None
        user = user_for_token(token.strip())
        if user is None:
            # A wrong, expired or revoked token is refused even with a session cookie beside it,
            # rather than silently answering as the session's (possibly other) user.
            raise AuthenticationError()
        request.user = user
        return user


def docs_login_required(view):
    """The schema and its page are for signed-in users and token clients, not for anyone.

    Anonymous: the page redirects to the login form, ``openapi.json`` answers 401; a wrong,
    expired or revoked token is 401 even beside a session cookie, as for the API itself.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            token_user = TokenAuth()(request)
        except AuthenticationError:
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        if token_user is not None or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


api = NinjaAPI(
    title="bangfu API",
    version="1.0",
    description="帮扶 — 脱贫人口就业帮扶平台接口。所有数据按用户所属区域限制。",
    # Token first: SessionAuth checks CSRF on every unsafe request and would refuse (403) a
    # token client before TokenAuth is asked. A request without the header falls through to it.
    auth=[TokenAuth(), SessionAuth()],
    docs_decorator=docs_login_required,
    urls_namespace="api",
)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    """422 with the fields named, in the shape ninja documents."""
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _register() -> None:
    from bangfu.arrears.api import router as arrears_router
    from bangfu.jobs.api import router as jobs_router
    from bangfu.monitoring.api import router as monitoring_router
    from bangfu.policies.api import router as policies_router
    from bangfu.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)
    api.add_router("/kpi/", monitoring_router)
    api.add_router("/policies/", policies_router)
    api.add_router("/jobs/", jobs_router)
    api.add_router("/arrears/", arrears_router)


_register()
