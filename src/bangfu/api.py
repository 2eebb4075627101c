"""The API root at /api/v1/: session or token auth; each app contributes a router.

Errors are mapped here, once, for every router: a request that fails its schema and a
Django ``ValidationError`` raised by a service are a 422 naming the fields in Chinese,
``PermissionDenied`` a 403 and ``Http404`` a 404, all JSON ``{"detail": ...}``. Endpoints
raise; they do not build error responses.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from bangfu.accounts.tokens import user_for_token

ERR_FORBIDDEN = gettext_noop("没有该操作的权限")
ERR_NOT_FOUND = gettext_noop("未找到")


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


@api.exception_handler(ValidationError)
def _service_refusal(request, exc: ValidationError):
    """422: ``{"detail": {field: [messages]}}``; messages not tied to a field under ``__all__``."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _(ERR_FORBIDDEN)}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    # Never the message: a 404 must not tell an area's records from records that do not exist.
    return api.create_response(request, {"detail": _(ERR_NOT_FOUND)}, status=404)


def _refusal(status: int, detail_of):
    def handler(request, exc):
        return api.create_response(request, detail_of(exc), status=status)
    return handler


def _register() -> None:
    # Refusals of the services: a Chinese message (and for jobs the fields it concerns).
    from bangfu.arrears.services import CaseError
    from bangfu.employers.services import EmployerError
    from bangfu.jobs.services import JobsError
    from bangfu.policies.services import PolicyRunError

    api.add_exception_handler(JobsError, _refusal(422, lambda exc: {"detail": exc.message, "fields": exc.fields}))
    api.add_exception_handler(EmployerError, _refusal(422, lambda exc: {"detail": exc.message, "fields": exc.fields}))
    api.add_exception_handler(CaseError, _refusal(400, lambda exc: {"detail": str(exc)}))
    api.add_exception_handler(PolicyRunError, _refusal(400, lambda exc: {"detail": str(exc)}))

    from bangfu.arrears.api import router as arrears_router
    from bangfu.employers.api import router as employers_router
    from bangfu.insurance.api import router as insurance_router
    from bangfu.jobs.api import router as jobs_router
    from bangfu.monitoring.api import router as monitoring_router
    from bangfu.payments.api import router as payments_router
    from bangfu.policies.api import router as policies_router
    from bangfu.posts.api import router as posts_router
    from bangfu.training.api import router as training_router
    from bangfu.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)
    api.add_router("/kpi/", monitoring_router)
    api.add_router("/policies/", policies_router)
    api.add_router("/payments/", payments_router)
    api.add_router("/employers/", employers_router)
    api.add_router("/jobs/", jobs_router)
    api.add_router("/arrears/", arrears_router)
    api.add_router("/posts/", posts_router)
    api.add_router("/training/", training_router)
    api.add_router("/insurance/", insurance_router)


_register()
