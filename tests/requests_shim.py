"""Tiny HTTP helpers on the standard library (no extra dependency)."""

import json
import urllib.error
import urllib.request


def _do(req, timeout):
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read(), dict(res.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def get(url, timeout=10):
    status, body, headers = _do(urllib.request.Request(url), timeout)
    return status, body, headers


def post_json(url, data, timeout=10):
    req = urllib.request.Request(
        url,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    status, body, _ = _do(req, timeout)
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body
