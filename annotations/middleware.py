"""Turn exceptions that are the server's momentary state, not a bug, into clean answers.

* A database too busy to take the write (SQLite's "database is locked" after the
  busy timeout, a PostgreSQL deadlock or serialization failure) → 503 with
  Retry-After: the write did not happen, and the client may simply send it again.
* A locked sign-in (``annotations.throttle.LoginLocked``) raised outside DRF (the
  admin's login form) → 429 with Retry-After.

``LengthRequiredMiddleware`` answers 411 to a request body sent without a length
(``Transfer-Encoding: chunked``): Django reads ``CONTENT_LENGTH`` bytes, and gunicorn
hands such a body over with no ``CONTENT_LENGTH``, so it would be read as empty and the
request answered as if the client had sent nothing.

``BrowsableAPIStyleMiddleware`` loosens the Content-Security-Policy for one thing on one
kind of page: DRF's browsable API lays itself out with ``style="..."`` attributes and a
``<style>`` block (pygments' colours), so its HTML pages, and only those, may use inline
styles. Scripts stay 'self' only there too.

A Django middleware's ``process_exception`` sees exceptions from page views and from
DRF views alike (DRF re-raises what its exception handler does not know), so a custom
DRF exception handler needs nothing for these cases.
"""

from __future__ import annotations

import logging
import math
import sys

from csp.constants import SELF, UNSAFE_INLINE
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from annotations.throttle import LoginLocked

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "The database is busy and your change was not saved. Please retry in a moment."

# Messages of OperationalErrors that mean "try again", not "something is broken".
_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
)


def is_transient_database_error(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and any(text in str(exc).lower() for text in _TRANSIENT)


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _answer(request: HttpRequest, status: int, message: str, retry_after: int) -> HttpResponse:
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


class TransientErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_transient_database_error(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return _answer(request, 503, BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS)
        if isinstance(exception, LoginLocked):
            return _answer(request, 429, exception.message, max(1, math.ceil(exception.wait or 1)))
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a busy database outside any view is still a 503, not a 500.

    ``process_exception`` only sees exceptions from views; a lock met while a middleware
    finishes the response (the session being saved after the view) reaches Django's
    last-resort handler instead. Django calls this inside its ``except`` block, so the
    exception is at hand.
    """
    exception = sys.exc_info()[1]
    if exception is not None and is_transient_database_error(exception):
        logger.warning("Database busy after %s %s: %s", request.method, request.path, exception)
        return _answer(request, 503, BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS)
    return defaults.server_error(request)


LENGTH_REQUIRED_MESSAGE = (
    "Send the request body with a Content-Length header; bodies sent in chunks (Transfer-Encoding) are not accepted."
)


class LengthRequiredMiddleware:
    """411 for a body with a Transfer-Encoding and no Content-Length, before anything reads it.

    Sits above the session, CSRF and authentication middleware: the answer needs no
    database and never reaches a view that would take the body for empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
            if _wants_json(request):
                return JsonResponse({"detail": LENGTH_REQUIRED_MESSAGE}, status=411)
            return HttpResponse(LENGTH_REQUIRED_MESSAGE, status=411, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class BrowsableAPIStyleMiddleware:
    """Allow inline styles (not scripts) on DRF's browsable API pages only.

    Must sit below ``csp.middleware.CSPMiddleware`` in MIDDLEWARE so the header is built
    after this marks the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is not None and getattr(renderer, "format", None) == "api":
            response._csp_update = {"style-src-attr": [UNSAFE_INLINE], "style-src-elem": [SELF, UNSAFE_INLINE]}
        return response
