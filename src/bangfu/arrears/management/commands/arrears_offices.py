"""List the arrears offices, show where the example set is, or load it."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.arrears.models import Office
from bangfu.core.imports import FileError, run_import


class Command(BaseCommand):
    help = ("驻外劳务办事机构：列出机构；--example 显示示例表路径；--load-example 导入示例表"
            "（编辑后用 `bangfu import offices FILE` 导入）。")

    def add_arguments(self, parser):
        parser.add_argument("--example", action="store_true", help="print the path of the example CSV")
        parser.add_argument("--load-example", action="store_true", help="import the example set (26 offices)")

    def handle(self, *args, example=False, load_example=False, **options):
        if example:
            self.stdout.write(str(example_path()))
            return
        if load_example:
            try:
                result = run_import(IMPORTERS["offices"], example_path(), actor="system",
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
