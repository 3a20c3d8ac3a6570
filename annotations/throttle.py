"""Login throttling: too many wrong passwords for one username from one address lock it.

The check lives in an authentication backend, so every path that calls Django's
``authenticate()`` is covered without further wiring: the login page, the admin
login and DRF's ``POST /api/auth/token/`` (its serializer calls ``authenticate``).

Counters live in the default cache (the database cache table, shared by every
gunicorn worker). Each counter opens a fixed window at its first failure; once it
holds ``LOGIN_THROTTLE_FAILURES`` failures every attempt, the right password
included, is refused with 429 until the window closes. A second, looser counter
per address alone slows password spraying across many usernames.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from rest_framework.exceptions import Throttled


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def failure_limit() -> int:
    return _setting("LOGIN_THROTTLE_FAILURES", 5)


def address_failure_limit() -> int:
    return _setting("LOGIN_THROTTLE_ADDRESS_FAILURES", 100)


def window_seconds() -> int:
    return _setting("LOGIN_THROTTLE_WINDOW", 15 * 60)


class LoginLocked(Throttled):
    """Raised by the backend while a username (or address) is locked: HTTP 429.

    A DRF ``Throttled`` so the token endpoint answers 429 with ``Retry-After`` as is;
    the login page turns it into a form error, other pages via the middleware.
    """

    default_code = "login_locked"

    def __init__(self, wait: float):
        minutes = max(1, math.ceil(wait / 60))
        unit = "minute" if minutes == 1 else "minutes"
        self.message = f"Too many failed sign-in attempts. Sign-in is locked; try again in {minutes} {unit}."
        super().__init__(wait=wait, detail=self.message, code=self.default_code)


def client_address(request) -> str:
    """The address counters are keyed on.

    REMOTE_ADDR by default. Behind a reverse proxy that overwrites a header with the
    client's address (e.g. nginx ``proxy_set_header X-Real-IP $remote_addr``), name
    it in LOGIN_THROTTLE_ADDRESS_HEADER (``HTTP_X_REAL_IP``); never trust a header a
    client can set itself.
    """
    if request is None:
        return "-"
    meta = request.META
    header = getattr(settings, "LOGIN_THROTTLE_ADDRESS_HEADER", "")
    if header and meta.get(header):
        return str(meta[header]).split(",")[0].strip()[:64]
    return str(meta.get("REMOTE_ADDR") or "-")[:64]


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"login-throttle:{kind}:{digest}"


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    return [
        (_key("user", username.casefold(), address), failure_limit()),
        (_key("address", address), address_failure_limit()),
    ]


def locked_for(username: str, address: str) -> float:
    """Seconds until ``username`` may try again from ``address`` (0 when not locked)."""
    now = time.time()
    wait = 0.0
    for key, limit in _keys(username, address):
        count, closes_at = cache.get(key) or (0, now)
        if count >= limit and closes_at > now:
            wait = max(wait, closes_at - now)
    return wait


def record_failure(username: str, address: str) -> None:
    # get-then-set is not atomic: two simultaneous failures may count once. The
    # limit is a brake on guessing, so an attempt or two more per window is fine.
    now = time.time()
    for key, _limit in _keys(username, address):
        count, closes_at = cache.get(key) or (0, now + window_seconds())
        if closes_at <= now:
            count, closes_at = 0, now + window_seconds()
        cache.set(key, (count + 1, closes_at), timeout=max(1, math.ceil(closes_at - now)))


def clear_failures(username: str, address: str) -> None:
    """A successful sign-in forgets that username's earlier typos (not the address's)."""
    cache.delete(_keys(username, address)[0][0])


def check_login_allowed(username: str, address: str) -> None:
    wait = locked_for(username, address)
    if wait > 0:
        raise LoginLocked(wait)


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the per-username+address failure counter."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        address = client_address(request)
        check_login_allowed(username, address)
        # PostgreSQL refuses NUL in text; such a name cannot exist, so it is a failure.
        user = None if "\x00" in username else super().authenticate(request, username, password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            clear_failures(username, address)
        return user
