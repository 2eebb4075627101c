"""API 令牌: a user's own API tokens, with their expiry and last use, and a revoke button.

Keys are created with ``bangfu token create`` (shown once); this page never shows a key.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.accounts import selectors
from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import ERR_TOKEN_ALREADY_REVOKED, token_days_default, token_revoke


@login_required
def token_list(request):
    now = timezone.now()
    tokens = [(token, token.state(now)) for token in selectors.token_list(user=request.user)]
    return render(request, "accounts/token_list.html",
                  {"tokens": tokens, "default_days": token_days_default()})


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    try:
        token = selectors.token_get(user=request.user, pk=pk)  # another user's token: 404
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    try:
        token_revoke(token=token, actor=request.user)
    except ValueError as exc:
        if str(exc) != ERR_TOKEN_ALREADY_REVOKED:
            raise
        messages.info(request, _(ERR_TOKEN_ALREADY_REVOKED))
    else:
        messages.success(request, _("令牌 %(prefix)s… 已吊销") % {"prefix": token.prefix})
    return redirect("accounts:token_list")
