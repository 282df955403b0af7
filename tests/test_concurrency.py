"""Work kept from stalling the other connections under gevent."""

import os
import subprocess
import sys

from workshop.concurrency import cooperative

PROBE = """
import gevent
from workshop.concurrency import cooperative
from workshop.extensions import ASYNC_MODE

seen = []
gevent.spawn(seen.append, "other")
turns = [len(seen) for _ in cooperative(range(10), every=4)]
print(ASYNC_MODE, turns)
"""


def test_cooperative_lets_other_greenlets_run_between_chunks():
    env = {**os.environ, "WORKSHOP_ASYNC_MODE": "gevent"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    # the other greenlet runs once four items are through, not before
    assert out.stdout.split(maxsplit=1) == ["gevent", "[0, 0, 0, 0, 1, 1, 1, 1, 1, 1]\n"]


def test_cooperative_is_a_plain_iteration_outside_gevent():
    assert list(cooperative(iter("abcdef"), every=2)) == list("abcdef")
