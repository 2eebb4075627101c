"""Deadlines count official working days: holidays skipped, make-up weekend days counted.

Dates checked by hand against the State Council's 2026 holiday notice (as in chinese-calendar):
National Day 1-7 October 2026 with make-up working days Sunday 20 September and Saturday
10 October; Mid-Autumn Festival 25-27 September; Spring Festival 15-23 February 2026 with
make-up working days Saturday 14 and Saturday 28 February; Tomb-sweeping 4-6 April; Labour Day
1-5 May with Saturday 9 May worked; Dragon Boat Festival 19 June.
"""

import datetime as dt

import pytest

from bangfu.arrears import deadlines
from bangfu.arrears.deadlines import accept_due, clock_for, extended_due, finish_due

D = dt.date


def test_accept_deadline_jumps_the_national_day_week_and_counts_the_make_up_saturday():
    # Received Wednesday 30 September: 8 Oct, 9 Oct, Sat 10 Oct (make-up), 12 Oct, 13 Oct.
    assert accept_due(D(2026, 9, 30)) == D(2026, 10, 13)


def test_counting_starts_on_the_make_up_sunday_after_a_saturday_receipt():
    # Received Saturday 19 September: Sunday 20 September is a working day and is day 1.
    assert accept_due(D(2026, 9, 19)) == D(2026, 9, 24)


def test_accept_deadline_across_mid_autumn_and_national_day():
    # Received on the Mid-Autumn holiday (Fri 25 Sep): 28, 29, 30 Sep, then 8 and 9 October.
    assert accept_due(D(2026, 9, 25)) == D(2026, 10, 9)


def test_accept_deadline_before_spring_festival_counts_the_make_up_saturday():
    # Received Friday 13 February: Sat 14 Feb (make-up), then 24, 25, 26, 27 February.
    assert accept_due(D(2026, 2, 13)) == D(2026, 2, 27)


def test_complaint_received_during_spring_festival_counts_from_the_first_working_day_after_it():
    # Received Wednesday 18 February (holiday): 24, 25, 26, 27 Feb, then Saturday 28 Feb (make-up).
    assert accept_due(D(2026, 2, 18)) == D(2026, 2, 28)


def test_finish_deadline_is_sixty_working_days_after_acceptance_over_national_day():
    # 21 working days left in September (with Sun 20 Sep, without 25 Sep), 18 in October
    # (without 1-7 Oct, with Sat 10 Oct), then the 21st working day of November: Monday 30th.
    assert finish_due(D(2026, 9, 1)) == D(2026, 11, 30)


def test_finish_deadline_over_spring_festival_tomb_sweeping_and_labour_day():
    # 16 working days in February (with the two make-up Saturdays), 22 in March, 21 in April:
    # 59; 1-5 May are holidays, so the 60th is Wednesday 6 May.
    assert finish_due(D(2026, 1, 30)) == D(2026, 5, 6)


def test_the_one_extension_adds_thirty_working_days_counting_the_make_up_saturday_in_may():
    # 7, 8 May, Sat 9 May (make-up), then weekdays skipping Dragon Boat (19 June): Tue 16 June.
    assert extended_due(D(2026, 5, 6)) == D(2026, 6, 16)


def test_clock_shows_four_working_days_left_on_the_first_day_back_after_national_day():
    clock = clock_for(stage="accept", due=D(2026, 10, 13), today=D(2026, 10, 8))
    assert (clock.days_left, clock.overdue) == (4, False)


def test_clock_does_not_run_down_during_the_holiday():
    on_1st = clock_for(stage="accept", due=D(2026, 10, 13), today=D(2026, 10, 1))
    on_7th = clock_for(stage="accept", due=D(2026, 10, 13), today=D(2026, 10, 7))
    assert on_1st.days_left == on_7th.days_left == 5


def test_clock_is_overdue_the_working_day_after_the_due_day():
    clock = clock_for(stage="accept", due=D(2026, 10, 13), today=D(2026, 10, 14))
    assert clock.overdue and clock.days_over == 1


def test_clock_is_overdue_on_the_weekend_right_after_the_due_friday():
    clock = clock_for(stage="accept", due=D(2026, 10, 16), today=D(2026, 10, 17))
    assert clock.overdue and clock.days_left == 0


def test_deadline_lengths_are_parameters(settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_ACCEPT_WORKING_DAYS": 3}
    assert deadlines.accept_due(D(2026, 9, 30)) == D(2026, 10, 10)


@pytest.mark.parametrize("received", [D(2026, 10, 1), D(2026, 10, 3), D(2026, 10, 7)])
def test_any_day_of_the_national_day_holiday_gives_the_same_accept_deadline(received):
    # 8, 9, Sat 10 (make-up), 12, 13 October.
    assert accept_due(received) == D(2026, 10, 13)
