"""CACHE_URL: the login throttle's counters in Redis instead of the database cache.

Several web machines share one Redis; the counters must live there, not in one
machine's memory, and not in the database. These tests use the Redis on
127.0.0.1:6379 (bin/test starts one), under a key prefix of their own.
"""

import secrets

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client, override_settings

from annotations import throttle
from tests.reliability.test_deploy_settings import _settings

REDIS_URL = "redis://127.0.0.1:6379/0"
LOGIN = "/accounts/login/"


def test_without_cache_url_the_counters_stay_in_the_database_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("CACHE_URL", raising=False)
    s = _settings(monkeypatch, tmp_path)
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert s["CACHES"]["default"]["OPTIONS"]["MAX_ENTRIES"] == 1_000_000


def test_cache_url_selects_djangos_redis_cache_with_a_key_prefix(monkeypatch, tmp_path):
    s = _settings(monkeypatch, tmp_path, CACHE_URL="redis://cache.internal:6379/2", CACHE_KEY_PREFIX="site-a")
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "site-a",
    }


def test_the_jobs_progress_on_redis_takes_the_same_key_prefix(monkeypatch, tmp_path):
    s = _settings(monkeypatch, tmp_path, TASKS_BACKEND="rq", CACHE_KEY_PREFIX="site-b")
    assert s["CACHES"]["jobs"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["CACHES"]["jobs"]["KEY_PREFIX"] == "site-b"


def test_it_refuses_a_cache_url_that_is_not_redis_without_echoing_its_password(monkeypatch, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis://") as error:
        _settings(monkeypatch, tmp_path, CACHE_URL="memcached://user:hunter2@cache.internal:11211")
    assert "hunter2" not in str(error.value)


@pytest.fixture
def redis_cache():
    """The default cache in the local Redis under a fresh prefix; its keys are removed afterwards."""
    prefix = f"test-{secrets.token_hex(6)}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    server = redis.Redis.from_url(REDIS_URL)
    with override_settings(CACHES={"default": config}):
        yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
    server.close()


@pytest.mark.django_db
def test_the_login_throttle_locks_through_redis_and_writes_no_cache_row(alice, redis_cache):
    server, prefix = redis_cache
    assert caches["default"].__class__.__name__ == "RedisCache"
    client = Client()
    for _ in range(5):
        response = client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 200
    locked = client.post(LOGIN, {"username": "alice", "password": "alice-password"}, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    # The counters are Redis keys under this site's prefix, and the database cache is untouched.
    assert len(list(server.scan_iter(f"{prefix}:*"))) >= 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        assert cursor.fetchone()[0] == 0
    # A web server on another machine has its own Redis client: it reads the same counter.
    elsewhere = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    count, _closes_at = elsewhere.get(throttle._key("user", "alice", "203.0.113.9"))
    assert count == 5
