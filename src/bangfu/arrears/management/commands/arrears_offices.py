"""List the arrears offices, show where the example set is, or load it."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.arrears.models import Office
from bangfu.core.actors import SYSTEM
from bangfu.core.imports import FileError, run_import


class Command(BaseCommand):
    help = ("驻外劳务办事机构：列出机构；--example 显示示例表路径；--load-example 导入示例表"
            "（编辑后用 `bangfu import offices FILE` 导入）。")

    def add_arguments(self, parser):
        parser.add_argument("--example", action="store_true", help="print the path of the example CSV")
        parser.add_argument("--load-example", action="store_true", help="import the example set (26 offices)")
        parser.add_argument("--member", metavar="USERNAME",
                            help="link this user to --office (an out-of-town office's officer)")
        parser.add_argument("--office", metavar="CODE", help="office code for --member; 'none' removes the link")

    def handle(self, *args, example=False, load_example=False, member=None, office=None, **options):
        if member:
            self._link(member, office)
            return
        if example:
            self.stdout.write(str(example_path()))
            return
        if load_example:
            try:
                result = run_import(IMPORTERS["offices"], example_path(), actor=SYSTEM,
                                    filename=example_path().name)
            except FileError as exc:
                raise CommandError(str(exc)) from exc
            if result.errors:
                for error in result.errors:
                    self.stderr.write(f"row {error.row} {error.column}: {error.message}")
                raise CommandError("example set not imported")
            self.stdout.write(self.style.SUCCESS(
                f"offices: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"))
            return
        for office in Office.objects.order_by("kind", "code"):
            flag = "" if office.active else " (停用)"
            self.stdout.write(f"{office.code:10} {office.get_kind_display():10} {office.name}{flag}  {office.covers}")

    def _link(self, username: str, code: str | None) -> None:
        from django.contrib.auth import get_user_model

        from bangfu.arrears.services import office_member_set

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if not code:
            raise CommandError("--office CODE is required with --member")
        target = None if code.lower() == "none" else Office.objects.filter(code=code.upper()).first()
        if code.lower() != "none" and target is None:
            raise CommandError(f"no office {code!r}")
        office_member_set(user=user, office=target, actor=SYSTEM)
        self.stdout.write(self.style.SUCCESS(
            f"{username} -> {target.name if target else '(no office)'}"))

