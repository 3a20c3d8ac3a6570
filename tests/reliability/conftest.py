"""Fixtures for the reliability and security tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # The cache table is not flushed between transactional tests: start and end empty,
    # so a lock from one test never leaks into another (or another folder's tests).
    cache.clear()
    yield
    cache.clear()
