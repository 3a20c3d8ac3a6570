"""Fixtures for the reliability and security tests."""

import os

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run under one unless told that this is a test, not an async view.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Autouse fixtures run first, so the shared user fixtures hash with this too. The
    # throttle's behaviour does not depend on the hasher; the suite's speed does.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # The cache table is not flushed between transactional tests: start and end empty,
    # so a lock from one test never leaks into another (or another folder's tests).
    cache.clear()
    yield
    cache.clear()
