"""Benchmark: public-welfare posts' month over N placements (the city's 9.6万) in a fresh SQLite database.

    .venv/bin/python benchmarks/posts_pay.py [--placements 96000] [--month 2024-09] [--keep]

Builds N active placements spread over Chongqing's districts (one person per household, a
village post of two seats each, a payee account each), plus as many unplaced persons as
candidates, with bulk inserts. Then times, as an officer does them:

1. the attendance import of one district's month: its 考勤表 (xlsx, one column a day) read,
   checked and committed as ``bangfu import post_attendance`` does, then approved;
2. the eligibility of that whole district (every person, set-based, with rules and rank);
3. the city's monthly pay run (every district's approved month becomes pay claims and
   welfare_post employment months), then its payment batch (bank lines of every claim).

Prints each figure; writes benchmarks/results/posts_pay.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DISTRICT = "500230"  # 丰都县: the district whose sheet is imported and whose people are ranked


def districts() -> list[tuple[str, str]]:
    """(district, first township) of every district of Chongqing."""
    from bangfu.core import reference

    divisions = reference.divisions()
    out = []
    for code in sorted(c for c in divisions if len(c) == 6):
        towns = sorted(t for t in divisions if len(t) == 9 and t.startswith(code))
        if towns:
            out.append((code, towns[0]))
    return out


def build_world(placements: int, month: str):
    """``placements`` active placements with approved attendance of ``month`` outside the
    benchmark district (its sheet is imported), payee accounts, and as many unplaced persons."""
    from bangfu.accounts.models import User
    from bangfu.core.pii import pii_hash
    from bangfu.payments.models import PayeeAccount
    from bangfu.posts.models import Attendance, Placement, WelfarePost
    from bangfu.core.identifiers import make_id_number
    from bangfu.registry.models import Household, Person

    areas = districts()
    people = placements * 2
    households = Household.objects.bulk_create(
        [Household(number=f"P{i:09d}", district_code=areas[i % len(areas)][0], township_code=areas[i % len(areas)][1],
                   category="alleviated") for i in range(people)], batch_size=5000)
    persons = []
    for i, household in enumerate(households):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=(i // 2000) % 9000)
        id_number = make_id_number(household.district_code, born, i % 999, "M" if i % 2 else "F")
        persons.append(Person(household=household, name=f"岗位{i}", id_number=id_number,
                              id_number_hash=pii_hash(id_number), sex="M" if i % 2 else "F", birth_date=born,
                              relation="head", district_code=household.district_code,
                              township_code=household.township_code, village=f"{i % 7 + 1}村",
                              category="alleviated", labour_ability="weak" if i % 5 == 0 else "ordinary"))
    persons = Person.objects.bulk_create(persons, batch_size=5000)
    placed = persons[:placements]
    PayeeAccount.objects.bulk_create(
        [PayeeAccount(person=p, bank_name="重庆农村商业银行", account=f"6217{i:015d}", account_hash=pii_hash(f"6217{i:015d}"))
         for i, p in enumerate(placed)], batch_size=5000)
    now = dt.datetime(2024, 1, 3, 10, tzinfo=dt.timezone.utc)
    posts = WelfarePost.objects.bulk_create(
        [WelfarePost(name=f"保洁员{i}", post_type="public_service", headcount=2, district_code=p.district_code,
                     township_code=p.township_code, village=p.village, funding_source="employment_fund",
                     funding_year=2024, status="approved", approved_at=now) for i, p in enumerate(placed[::2])],
        batch_size=5000)
    rows = Placement.objects.bulk_create(
        [Placement(post=posts[i // 2], person=p, household_id=p.household_id, district_code=p.district_code,
                   township_code=p.township_code, status="active", notice_start=dt.date(2024, 1, 2),
                   notice_end=dt.date(2024, 1, 9), contract_start=dt.date(2024, 1, 15),
                   planned_end=dt.date(2026, 12, 31)) for i, p in enumerate(placed)], batch_size=5000)
    Attendance.objects.bulk_create(
        [Attendance(placement=r, month=month, marks="√" * 21, days_present=21, rating="pass", status="approved",
                    approved_at=now, district_code=r.district_code, township_code=r.township_code)
         for r in rows if r.district_code != BENCH_DISTRICT], batch_size=5000)
    officer = User.objects.create(username="bench_fengdu", role="district_officer", area_code=BENCH_DISTRICT)
    city = User.objects.create(username="bench_city", role="city_admin", area_code="50")
    return officer, city, sum(1 for r in rows if r.district_code == BENCH_DISTRICT)


def attendance_file(officer, month: str, path: Path) -> int:
    """The district's 考勤表 as exported, filled in: √ on working days, a few 事 and 病, rated."""
    from openpyxl import load_workbook

    from bangfu.core.workdays import is_working_day
    from bangfu.posts.exports import attendance_sheet

    path.write_bytes(attendance_sheet(user=officer, month=month))
    book = load_workbook(path)
    sheet = book.active
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    n = 0
    for r, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        if row[0].value is None:
            continue
        for d in range(31):
            day = first + dt.timedelta(days=d)
            if day.month == first.month and is_working_day(day):
                sheet.cell(row=r, column=5 + d, value="事" if (r + d) % 41 == 0 else "病" if (r + d) % 53 == 0 else "√")
        sheet.cell(row=r, column=36, value="优秀" if r % 9 == 0 else "合格")
        n += 1
    book.save(path)
    return n


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=96_000)
    parser.add_argument("--month", default="2024-09")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="bangfu-bench-posts-"))
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from bangfu.core.imports import run_import
    from bangfu.posts import services
    from bangfu.posts.importers import IMPORTERS
    from bangfu.posts.models import Attendance, PostPay
    from bangfu.posts.selectors import area_eligibility

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from bangfu.registry.models import Division, Place
    from bangfu.registry.reference import load_reference_data

    if not Division.objects.exists():
        load_reference_data(Division, Place)
    officer, city, district_rows = build_world(args.placements, args.month)
    print(f"prepared in {time.perf_counter() - started:.1f} s: {args.placements:,} placements, "
          f"{district_rows:,} in {BENCH_DISTRICT}")

    path = var / "attendance.xlsx"
    rows = attendance_file(officer, args.month, path)
    result, import_s = timed(run_import, IMPORTERS["post_attendance"], path, actor=officer, filename=path.name)
    assert result.committed and not result.errors, result.errors[:5]
    ids = list(Attendance.objects.filter(month=args.month, district_code=BENCH_DISTRICT, status="recorded")
               .values_list("pk", flat=True))
    approved, approve_s = timed(services.attendance_approve, actor=officer, ids=ids)
    stages = "  ".join(f"{s} {result.timings[s]:.2f} s" for s in ("read", "parse", "check", "commit"))
    print(f"attendance import of {BENCH_DISTRICT} {args.month}: {rows:,} rows in {import_s:.2f} s ({stages}); "
          f"approval of {approved:,} in {approve_s:.2f} s")

    ranked, eligibility_s = timed(area_eligibility, user=officer, on=dt.date(2024, 10, 8))
    print(f"eligibility of {BENCH_DISTRICT}: {len(ranked):,} persons in {eligibility_s:.2f} s "
          f"({sum(1 for r in ranked if r.eligible):,} eligible)")

    run, run_s = timed(services.post_pay_run, actor=city, month=args.month)
    assert run.claims_created == PostPay.objects.filter(month=args.month).count()
    batch, batch_s = timed(services.post_pay_batch_create, actor=city, month=args.month)
    print(f"city pay run of {args.month}: {run.claims_created:,} claims, {run.total_fen / 100:,.0f} yuan, "
          f"{run.employment_created:,} employment months in {run_s:.2f} s; payment batch of "
          f"{batch.batch.line_count:,} lines in {batch_s:.2f} s; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    figures = {"placements": args.placements, "month": args.month, "district": BENCH_DISTRICT,
               "attendance_rows": rows, "attendance_import_s": round(import_s, 3),
               **{f"attendance_{k}_s": round(v, 3) for k, v in result.timings.items()},
               "attendance_approve_s": round(approve_s, 3), "eligibility_persons": len(ranked),
               "eligibility_s": round(eligibility_s, 3), "pay_run_claims": run.claims_created,
               "pay_run_s": round(run_s, 3), "batch_lines": batch.batch.line_count, "batch_s": round(batch_s, 3),
               "load_average": round(os.getloadavg()[0], 1)}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "posts_pay.json").write_text(json.dumps(figures, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
