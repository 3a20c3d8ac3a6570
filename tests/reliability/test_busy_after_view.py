"""A busy database met after the view (while the response is finished) is a 503, not a 500."""

import pytest
from django.db import OperationalError
from django.test import Client


class LockedWhileFinishing:
    """Stands in for Django's session middleware meeting a locked SQLite file on save."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("database is locked")


class BrokenWhileFinishing(LockedWhileFinishing):
    def __call__(self, request):
        self.get_response(request)
        raise RuntimeError("a real bug")


def _with_outer_middleware(settings, middleware: str) -> Client:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:3], middleware, *settings.MIDDLEWARE[3:]]
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_lock_after_the_view_answers_503_with_retry_after(settings):
    client = _with_outer_middleware(settings, f"{__name__}.LockedWhileFinishing")
    response = client.get("/accounts/login/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert b"database is busy" in response.content


@pytest.mark.django_db
def test_a_lock_after_an_api_view_answers_json(settings):
    client = _with_outer_middleware(settings, f"{__name__}.LockedWhileFinishing")
    response = client.get("/api/labels/")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The database is busy")


@pytest.mark.django_db
def test_any_other_error_after_the_view_is_still_a_500(settings):
    client = _with_outer_middleware(settings, f"{__name__}.BrokenWhileFinishing")
    assert client.get("/accounts/login/").status_code == 500
