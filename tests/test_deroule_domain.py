"""Pure rules of the déroulé (workshop/domain/deroule.py): the day's drift."""

import doctest

from workshop.domain import deroule
from workshop.domain.deroule import RUN_MIN_MS, drift_minutes, drift_ms, settled_drift_ms

MIN = 60_000


def plan(*minutes):
    return [{"id": i, "planned_ms": m * MIN, "spent_ms": 0} for i, m in enumerate(minutes, 1)]


def current(acts, act_id, since):
    for a in acts:
        a.pop("since_ms", None)
    next(a for a in acts if a["id"] == act_id)["since_ms"] = since
    return acts


def test_the_module_doctests_pass():
    assert doctest.testmod(deroule, optionflags=doctest.ELLIPSIS).failed == 0


def test_jumping_ahead_is_not_time_saved():
    # the demo: « Lancer maintenant » on its fifth activity (10 + 5 + 5 + 10 min before it)
    acts = current(plan(10, 5, 5, 10, 15, 15), 5, since=0)
    assert drift_ms(acts, 5, now_ms=0) == 0
    assert drift_ms(acts, 5, now_ms=10 * MIN) == 0
    assert drift_ms(acts, 5, now_ms=17 * MIN) == 2 * MIN  # the current one overruns


def test_passing_through_with_the_clicker_counts_for_nothing():
    acts = plan(10, 5, 20)
    acts[0]["spent_ms"] = 3_000  # pressed → twice in a row
    acts[1]["spent_ms"] = RUN_MIN_MS - 1
    current(acts, 3, since=0)
    assert settled_drift_ms(acts, 3) == 0
    assert drift_minutes(drift_ms(acts, 3, now_ms=5 * MIN)) == 0


def test_activities_run_count_early_and_late():
    acts = plan(10, 20, 10)
    acts[0]["spent_ms"] = 2 * MIN  # 8 min early
    acts[1]["spent_ms"] = 25 * MIN  # 5 min late
    current(acts, 3, since=0)
    assert settled_drift_ms(acts, 3) == -3 * MIN
    assert drift_ms(acts, 3, now_ms=4 * MIN) == -3 * MIN  # really ahead: 3 min
    assert drift_ms(acts, 3, now_ms=12 * MIN) == -1 * MIN  # the current one eats 2 of them


def test_an_activity_gone_back_to_keeps_its_time():
    acts = plan(10, 10, 10)
    acts[0]["spent_ms"] = 12 * MIN
    acts[2]["spent_ms"] = 14 * MIN  # run, then « Précédent » back to the second
    current(acts, 2, since=0)
    assert drift_ms(acts, 2, now_ms=MIN) == 6 * MIN
    # the current one counts its earlier time too once it overruns
    acts[1]["spent_ms"] = 9 * MIN
    assert drift_ms(acts, 2, now_ms=3 * MIN) == 8 * MIN


def test_before_the_start_the_room_is_on_time():
    acts = plan(10, 10)
    assert drift_ms(acts, None, now_ms=10**9) == 0
    assert settled_drift_ms(acts, None) == 0


def test_less_than_a_minute_is_on_time_either_way():
    assert drift_minutes(-59_999) == 0 and drift_minutes(59_999) == 0
    assert drift_minutes(-60_000) == -1 and drift_minutes(8 * MIN + 59_000) == 8
