"""``bangfu token create USER [--name NAME]`` prints a new API key once; ``bangfu token list USER``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import ApiToken, User
from bangfu.accounts.tokens import token_create


class Command(BaseCommand):
    help = "创建或列出接口令牌（API tokens）。Create or list API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USER and print its key once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = sub.add_parser("list", help="list the tokens of USER (prefixes only)")
        listing.add_argument("username")

    def handle(self, *args, action: str, username: str, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no such user: {username}") from exc
        if action == "create":
            if not user.is_active:
                raise CommandError(f"user {username} is not active")
            key = token_create(user=user, name=options["name"], actor="cli")
            self.stdout.write(key)
            self.stderr.write(
                "Keep this key: it is shown only once. Use it as  Authorization: Token <key>"
            )
            return
        for token in ApiToken.objects.filter(user=user).order_by("created_at"):
            state = "revoked" if token.revoked else "active"
            used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
            self.stdout.write(f"{token.prefix}…  {state}  {token.name or '-'}  created "
                              f"{token.created_at:%Y-%m-%d}  last used {used}")
