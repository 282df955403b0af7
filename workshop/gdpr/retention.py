"""Retention: when an atelier's data is purged (pure rules, no database).

An atelier is kept ``months`` months after its date, or after the day it was
created when it has no date; the console warns ``WARN_DAYS`` days before.

>>> purge_date(dt.date(2024, 1, 31), 1)
datetime.date(2024, 2, 29)
>>> purge_date(dt.date(2024, 6, 13), 12)
datetime.date(2025, 6, 13)
>>> is_due(dt.date(2024, 6, 13), 12, today=dt.date(2025, 6, 13))
True
>>> is_due(dt.date(2024, 6, 13), 12, today=dt.date(2025, 6, 12))
False
>>> days_left(dt.date(2024, 6, 13), 12, today=dt.date(2025, 6, 1))
12
"""

import calendar
import datetime as dt

WARN_DAYS = 30


def reference_date(date: dt.date | None, created_at: dt.datetime | dt.date) -> dt.date:
    """The atelier's date, else its creation day."""
    if date is not None:
        return date
    return created_at.date() if isinstance(created_at, dt.datetime) else created_at


def purge_date(reference: dt.date, months: int) -> dt.date:
    """``reference`` plus ``months`` calendar months (clamped to the month's end)."""
    month0 = reference.month - 1 + months
    year, month = reference.year + month0 // 12, month0 % 12 + 1
    day = min(reference.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def days_left(reference: dt.date, months: int, today: dt.date) -> int:
    return (purge_date(reference, months) - today).days


def is_due(reference: dt.date, months: int, today: dt.date) -> bool:
    return days_left(reference, months, today) <= 0


def should_warn(reference: dt.date, months: int, today: dt.date) -> bool:
    """Whether the console shows the "will be deleted soon" banner.

    >>> should_warn(dt.date(2024, 6, 13), 12, dt.date(2025, 5, 20))
    True
    >>> should_warn(dt.date(2024, 6, 13), 12, dt.date(2025, 4, 1))
    False
    """
    return days_left(reference, months, today) <= WARN_DAYS
