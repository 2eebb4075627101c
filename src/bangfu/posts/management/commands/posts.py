"""``bangfu posts``: the monthly pay of public-welfare posts from the command line.

    bangfu posts pay --month 2024-09 --user fengdu [--batch]

``pay`` turns the month's approved attendance in the user's area into pay claims (once per
person and month, whatever is run again) and writes the ``welfare_post`` employment months;
``--batch`` then makes the payment batch of those claims (``bangfu payments`` exports it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.actors import is_system
from bangfu.core.money import format_yuan
from bangfu.core.months import is_month
from bangfu.payments.management.commands.payments import command_user


class Command(BaseCommand):
    help = "公益性岗位：按月生成岗位补贴（可同时生成支付批次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("pay", help="把该月已审核的考勤生成岗位补贴，每人每月只生成一次")
        p.add_argument("--month", required=True, help="年月 YYYY-MM")
        p.add_argument("--user", required=True, help="区县或市级经办人员的用户名")
        p.add_argument("--batch", action="store_true", help="随后生成该月待发放补贴的支付批次")

    def handle(self, *args, action, **opts):
        if action == "pay":
            self.do_pay(**opts)

    def do_pay(self, month, user, batch=False, **opts):
        from bangfu.posts import services

        if not is_month(month):
            raise CommandError("年月格式应为 YYYY-MM")
        actor = command_user(user)
        if is_system(actor):  # paying is a person's act, audited as theirs
            raise CommandError("请用 --user 指定经办人员")
        try:
            result = services.post_pay_run(actor=actor, month=month)
            self.stdout.write(
                f"{month}：生成岗位补贴 {result.claims_created} 笔，共 {format_yuan(result.total_fen)} 元；"
                f"已生成过 {result.already_claimed} 人，不合格 {result.failed_rating} 人，"
                f"出勤不足 {result.too_few_days} 人，考勤待审核 {result.not_approved} 人；"
                f"务工月份新增 {result.employment_created}、改记 {result.employment_updated}")
            if batch:
                made = services.post_pay_batch_create(actor=actor, month=month)
                if made.batch is None:
                    self.stdout.write("没有可生成批次的岗位补贴")
                else:
                    self.stdout.write(f"支付批次 {made.batch.number}：{made.lines} 笔，{format_yuan(made.total_fen)} 元；"
                                      f"无收款账户 {made.without_account} 人")
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("；".join(messages)) from None
