"""Benchmark: import the bank's return of a 15,500-line payment batch into a fresh SQLite database.

    .venv/bin/python benchmarks/bank_return.py [--lines 15500] [--failed 300] [--profile]

Builds one district's persons, payee accounts and approved entitlements with bulk inserts,
makes the payment batch and its bank file through the services, writes the bank's return
(``--failed`` lines failed, the rest paid, each with its bank reference) and imports it as
``bangfu import bank_return`` does. The figure that matters is the commit stage: the write
transaction, during which SQLite's write lock is held and every other writer waits.
Target: under 2 s for 15,500 lines. Prints each stage; writes benchmarks/results/bank_return.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
DISTRICT, TOWNSHIP = "500230", "500230101"


def build_world(lines: int):
    """``lines`` approved entitlements of 丰都县 with accounts, and an officer to pay them."""
    from bangfu.accounts.models import User
    from bangfu.core.pii import pii_hash
    from bangfu.payments.models import PayeeAccount
    from bangfu.policies.models import Entitlement, PolicyRun
    from bangfu.policies.services import example_definitions, policy_create
    from bangfu.registry.idnumbers import make_id_number
    from bangfu.registry.models import Household, Person

    officer = User.objects.create(username="bench_officer", role="district_officer", area_code=DISTRICT)
    definition = next(d for d in example_definitions() if d.code == "transport_subsidy")
    policy = policy_create(definition=definition, actor="system")
    run = PolicyRun.objects.create(policy=policy, version=policy.current_version, period="2024", area_code="50",
                                   mode="commit", status="done")
    households = Household.objects.bulk_create(
        [Household(number=f"B{i:08d}", district_code=DISTRICT, township_code=TOWNSHIP, category="alleviated")
         for i in range(lines)], batch_size=2000)
    people = []
    for i, household in enumerate(households):
        born = dt.date(1975, 1, 1) + dt.timedelta(days=i // 500)  # 500 numbers per birth date and sex
        id_number = make_id_number(DISTRICT, born, i, "M")
        phone = f"139{i:08d}"
        people.append(Person(household=household, name=f"回盘{i}", id_number=id_number, id_number_hash=pii_hash(id_number),
                             sex="M", birth_date=born, relation="head", phone=phone, phone_hash=pii_hash(phone),
                             district_code=DISTRICT, township_code=TOWNSHIP, category="alleviated",
                             labour_ability="ordinary"))
    people = Person.objects.bulk_create(people, batch_size=2000)
    PayeeAccount.objects.bulk_create(
        [PayeeAccount(person=p, bank_name="重庆农村商业银行", account=f"6217{i:015d}", account_hash=pii_hash(f"6217{i:015d}"))
         for i, p in enumerate(people)], batch_size=2000)
    Entitlement.objects.bulk_create(
        [Entitlement(policy=policy, version=policy.current_version, run=run, period="2024", beneficiary_kind="person",
                     beneficiary_id=p.pk, person=p, district_code=DISTRICT, township_code=TOWNSHIP, amount_fen=20000,
                     status="approved") for p in people], batch_size=2000)
    return officer, policy


def return_file(batch, failed: int) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["批次号", "序号", "收款人", "银行账号", "金额（元）", "处理结果", "失败原因", "银行流水号"])
    every = max(batch.line_count // failed, 1) if failed else 0
    for line_no, payee, amount in batch.payments.order_by("line_no").values_list("line_no", "payee_name", "amount_fen"):
        bad = bool(every) and line_no % every == 0
        w.writerow([batch.number, line_no, payee, "", f"{amount / 100:.2f}", "失败" if bad else "成功",
                    "账户已销户" if bad else "", f"B2024{line_no:09d}"])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=15_500)
    parser.add_argument("--failed", type=int, default=300, help="lines the bank returns as failed")
    parser.add_argument("--profile", action="store_true", help="cProfile the import (top 25)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="bangfu-bench-return-"))
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from bangfu.core.imports import run_import
    from bangfu.outbox.models import OutboxMessage
    from bangfu.payments.importers import IMPORTERS
    from bangfu.payments.models import Payment
    from bangfu.payments.services import payment_batch_export
    from bangfu.policies.services import entitlement_batch_create

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    officer, policy = build_world(args.lines)
    batch = entitlement_batch_create(actor=officer, policy=policy, period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    path = var / "return.csv"
    path.write_bytes(return_file(batch, args.failed))
    print(f"prepared in {time.perf_counter() - started:.1f} s: batch {batch.number} of {batch.line_count:,} lines")

    # CPU time of the writes done under the lock (the wall time also counts waiting for a core).
    importer = IMPORTERS["bank_return"]
    commit_cpu = {}
    real_commit = importer.commit

    def commit_timed(rows, **kwargs):
        started_cpu = time.process_time()
        try:
            return real_commit(rows, **kwargs)
        finally:
            commit_cpu["s"] = time.process_time() - started_cpu

    importer.commit = commit_timed
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = run_import(importer, path, actor=officer, filename=path.name)
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(25)
    assert result.committed and not result.errors, result.errors[:5]
    paid = Payment.objects.filter(batch=batch, status="paid").count()
    failed = Payment.objects.filter(batch=batch, status="failed").count()
    assert paid + failed == args.lines and OutboxMessage.objects.count() == paid
    commit = result.timings["commit"]
    stages = "  ".join(f"{s} {result.timings[s]:.2f} s" for s in ("read", "parse", "check", "commit"))
    print(f"bank return of {args.lines:,} lines ({paid:,} paid, {failed:,} failed): {stages}  "
          f"total {result.timings['total']:.2f} s")
    print(f"write lock held (commit stage): {commit:.2f} s — {'under' if commit < TARGET_SECONDS else 'OVER'} "
          f"the {TARGET_SECONDS:.0f} s target (CPU {commit_cpu['s']:.2f} s of it); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    figures = {"lines": args.lines, "paid": paid, "failed": failed, "commit_cpu_s": round(commit_cpu["s"], 3),
               "load_average": round(os.getloadavg()[0], 1),
               **{f"{k}_s": round(v, 3) for k, v in result.timings.items()}}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bank_return.json").write_text(json.dumps(figures, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
