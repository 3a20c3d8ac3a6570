"""Repeated wrong passwords lock a username from an address (429) for the window."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from annotations import throttle

LOGIN = "/accounts/login/"
LOCKED = "Too many failed sign-in attempts"


def _login(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = _login(client, username, "wrong-password", address)
        assert response.status_code == 200, "a wrong password before the limit is an ordinary form error"


@pytest.mark.django_db
def test_it_locks_the_sixth_wrong_attempt_with_429_and_says_so_on_the_page(alice):
    client = Client()
    _fail(client, "alice", 5)
    response = _login(client, "alice", "wrong-password")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert LOCKED in response.content.decode()
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_it_refuses_even_the_right_password_while_locked(alice):
    client = Client()
    _fail(client, "alice", 5)
    response = _login(client, "alice", "alice-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_other_users_and_other_addresses_are_not_affected(alice, bob):
    _fail(Client(), "alice", 5)
    assert _login(Client(), "alice", "alice-password").status_code == 429
    assert _login(Client(), "bob", "bob-password").status_code == 302
    assert _login(Client(), "alice", "alice-password", address="198.51.100.4").status_code == 302


@pytest.mark.django_db
def test_it_lets_the_user_in_again_once_the_window_has_passed(alice):
    client = Client()
    _fail(client, "alice", 5)
    assert _login(client, "alice", "alice-password").status_code == 429
    # Move the window's end into the past instead of waiting fifteen minutes.
    for key, _limit in throttle._keys("alice", "203.0.113.7"):
        count, _closes_at = cache.get(key)
        cache.set(key, (count, time.time() - 1))
    response = _login(client, "alice", "alice-password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_a_successful_sign_in_forgets_earlier_typos(alice):
    _fail(Client(), "alice", 4)
    assert _login(Client(), "alice", "alice-password").status_code == 302
    _fail(Client(), "alice", 4)
    assert _login(Client(), "alice", "alice-password").status_code == 302


@pytest.mark.django_db
def test_usernames_differing_only_in_case_share_one_counter(alice):
    _fail(Client(), "ALICE", 3)
    _fail(Client(), "Alice", 2)
    assert _login(Client(), "alice", "alice-password").status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(sam):
    client = Client()
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "sam", "password": "nope"}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "sam", "password": "sam-password"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"username=a%00b&password=pw",
        b"username=" + b"x" * 100_000 + b"&password=pw",
        b"username=%ED%B3%BF&password=%FF%FE",  # a lone surrogate and invalid UTF-8
        b"username=%3Cscript%3Ealert(1)%3C/script%3E&password=pw",
        b"username=alice&username=bob&password=pw",
        b"password=pw",
    ],
)
def test_hostile_usernames_are_ordinary_failures(alice, body):
    response = Client().post(LOGIN, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_failures_for_many_other_usernames_do_not_evict_a_lock(alice):
    _fail(Client(), "alice", 5)
    # More entries than Django's default cache size (300), which would cull a third of them.
    for n in range(400):
        throttle.record_failure(f"user{n}", f"198.51.100.{n % 250}")
    assert _login(Client(), "alice", "alice-password").status_code == 429
