"""API tokens from the command line.

``bangfu token create USER [--name NAME] [--days N] [--wait SECONDS]`` prints a new key once;
``bangfu token list USER`` lists prefixes, state, expiry and last use;
``bangfu token revoke PREFIX`` revokes the token whose key starts with PREFIX.

While another process holds the database's write lock (a bank return, an import), create and
revoke wait and retry for up to ``--wait`` seconds instead of failing with "database is locked".
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import ApiToken, User
from bangfu.accounts.tokens import MAX_TOKEN_DAYS, token_create, token_days_default, token_revoke
from bangfu.core.actors import SYSTEM
from bangfu.core.locks import retry_while_locked
from bangfu.core.pii import pii_hash

DEFAULT_WAIT_SECONDS = 120


class Command(BaseCommand):
    help = "创建、列出或吊销接口令牌（API tokens）。Create, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USER and print its key once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument("--days", type=int, default=None,
                            help=f"days until the token expires (default {token_days_default()}, "
                                 f"at most {MAX_TOKEN_DAYS})")
        listing = sub.add_parser("list", help="list the tokens of USER (prefixes only)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke the token whose key starts with PREFIX")
        revoke.add_argument("prefix")
        for parser_ in (create, revoke):
            parser_.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS,
                                 help="seconds to keep retrying while the database is locked "
                                      f"(default {DEFAULT_WAIT_SECONDS})")

    def handle(self, *args, action: str, **options):
        if action == "revoke":
            self._revoke(options["prefix"], options["wait"])
            return
        user = self._user(options["username"])
        if action == "create":
            self._create(user, options)
            return
        for token in ApiToken.objects.filter(user=user).order_by("created_at"):
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(f"{token.prefix}…  {token.state()}  {token.name or '-'}  created "
                              f"{token.created_at:%Y-%m-%d}  expires {token.expires_at:%Y-%m-%d}  "
                              f"last used {used}")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no such user: {username}") from exc

    def _on_retry(self, exc) -> None:
        self.stderr.write("database is locked by another writer; retrying…")

    def _create(self, user: User, options) -> None:
        if not user.is_active:
            raise CommandError(f"user {user.username} is not active")
        days = options["days"]
        if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_TOKEN_DAYS}")
        key = retry_while_locked(
            lambda: token_create(user=user, name=options["name"], days=days, actor=SYSTEM),
            wait_seconds=options["wait"], on_retry=self._on_retry,
        )
        token = ApiToken.objects.get(key_hash=pii_hash(key))
        self.stdout.write(key)
        self.stderr.write(
            f"Keep this key: it is shown only once. It expires on {token.expires_at:%Y-%m-%d}. "
            "Use it as  Authorization: Token <key>"
        )

    def _revoke(self, prefix: str, wait: float) -> None:
        prefix = prefix.rstrip("…").strip()
        tokens = list(ApiToken.objects.filter(prefix=prefix).select_related("user"))
        if not tokens:
            raise CommandError(f"no token with prefix {prefix}")
        if len(tokens) > 1:
            owners = ", ".join(sorted(t.user.username for t in tokens))
            raise CommandError(f"prefix {prefix} matches {len(tokens)} tokens (of {owners}); "
                               "revoke it in the admin")
        token = tokens[0]
        if token.revoked:
            raise CommandError(f"token {prefix}… is already revoked")
        retry_while_locked(lambda: token_revoke(token=token, actor=SYSTEM),
                           wait_seconds=wait, on_retry=self._on_retry)
        self.stdout.write(f"revoked {prefix}… of {token.user.username}")
