"""Token buckets for rate limits (per participant, per IP).

>>> clock = iter([0.0, 0.0, 0.0, 10.0])
>>> bucket = TokenBucket(rate=1, burst=2, clock=lambda: next(clock))
>>> bucket.take(), bucket.take(), bucket.take(), bucket.take()
(True, True, False, True)
"""

import threading
import time


class TokenBucket:
    """``burst`` actions at once, then ``rate`` actions per second."""

    __slots__ = ("rate", "burst", "tokens", "stamp", "clock")

    def __init__(self, rate: float, burst: float, clock=time.monotonic):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.clock = clock
        self.stamp = None

    def take(self, cost: float = 1.0) -> bool:
        now = self.clock()
        if self.stamp is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


class RateLimiter:
    """A bucket for each key (thread-safe), forgetting idle keys.

    >>> limiter = RateLimiter(rate=0.0, burst=1)
    >>> limiter.allow("ip-1"), limiter.allow("ip-1"), limiter.allow("ip-2")
    (True, False, True)
    """

    def __init__(self, rate: float, burst: float, max_keys: int = 100_000):
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict = {}
        self._lock = threading.Lock()

    def allow(self, key, cost: float = 1.0) -> bool:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._buckets.clear()
                bucket = self._buckets[key] = TokenBucket(self.rate, self.burst)
            return bucket.take(cost)

    def forget(self, key) -> None:
        with self._lock:
            self._buckets.pop(key, None)
