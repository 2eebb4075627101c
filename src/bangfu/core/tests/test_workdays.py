import datetime as dt

from bangfu.core.workdays import add_working_days, is_working_day, working_days_between


def test_national_day_2026_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 10, 1))


def test_make_up_saturday_10_october_2026_is_a_working_day():
    assert is_working_day(dt.date(2026, 10, 10))


def test_five_working_days_from_29_september_2026_skip_the_golden_week():
    # 30 Sep (Wed) counts, 1-7 Oct are off, 8 and 9 Oct count, 10 Oct (make-up Saturday)
    # counts, 11 Oct is Sunday, 12 Oct is the fifth.
    assert add_working_days(dt.date(2026, 9, 29), 5) == dt.date(2026, 10, 12)


def test_working_days_between_counts_days_after_the_start():
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 30)) == 1
    assert working_days_between(dt.date(2026, 11, 30), dt.date(2026, 11, 27)) == -1
