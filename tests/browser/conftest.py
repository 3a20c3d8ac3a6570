"""Browser tests: Debian's chromium driven by playwright against pytest-django's live server.

One browser per session, a fresh context (cookies, localStorage) per test. Users sign in
by carrying a session made with ``Client.force_login``. A JavaScript error or a
Content-Security-Policy violation on any page fails the test.
"""

import pytest
from playwright.sync_api import Page

from tests.conftest import session_cookie


class PageProblems:
    def __init__(self):
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.errors.append(f"CSP: {text}")


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(user)`` → a signed-in page of a new browser context."""
    contexts = []
    problems = PageProblems()

    def open_for(user, *, viewport=None) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=viewport or {"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.add_cookies([session_cookie(user, live_server)])
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_for
    for context in contexts:
        context.close()
    assert not problems.errors, problems.errors
