"""CPU-heavy work (drawing maps, exports) kept away from the connections.

Under gevent every connection is a greenlet of one thread: a drawing that
takes half a second would hold all of them for that long. ``run_blocking``
runs it in a real thread of gevent's pool instead, which shares the
interpreter in slices as in threading mode, and the connections go on being
served. Outside gevent it simply calls the function.

Long loops over rows already read (a board of thousands of notes turned into
its view) use ``cooperative`` instead: they stay in the connection's greenlet
and let the others run every few hundred items.

>>> run_blocking(sum, [1, 2, 3])
6
>>> sum(cooperative(range(1000), every=100))
499500
"""

from .extensions import ASYNC_MODE


def run_blocking(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, without stalling the other connections.

    ``fn`` must not use the database session or Flask's context (it may run
    in another thread): build its inputs first.
    """
    if ASYNC_MODE != "gevent":
        return fn(*args, **kwargs)
    import gevent

    return gevent.get_hub().threadpool.apply(fn, args, kwargs)


def run_in_background(fn, *args):
    """Start ``fn(*args)`` in a real thread (gevent's pool under gevent) and
    return at once; errors are the thread's own. For work done once at
    start, such as loading what a first request would otherwise wait for."""
    if ASYNC_MODE == "gevent":
        import gevent

        return gevent.get_hub().threadpool.spawn(fn, *args)
    import threading

    thread = threading.Thread(target=fn, args=args, daemon=True)
    thread.start()
    return thread


def cooperative(items, every: int = 250):
    """Iterate over ``items``, letting the other connections run every
    ``every`` items under gevent (a plain iteration otherwise).

    Only for data already read: nothing may depend on the database staying
    still in between.
    """
    if ASYNC_MODE != "gevent":
        yield from items
        return
    import gevent

    for i, item in enumerate(items, 1):
        yield item
        if i % every == 0:
            gevent.sleep(0)
