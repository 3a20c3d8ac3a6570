"""Browser tests: Debian's chromium driven by playwright against pytest-django's live server.

One browser per session, a fresh context (cookies, localStorage) per test. Users sign in
by carrying a session made with ``Client.force_login``. A JavaScript error or a
Content-Security-Policy violation on any page fails the test.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, sync_playwright

# playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, viewport=viewport or {"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_for
    for context in contexts:
        context.close()
    assert not problems.errors, problems.errors
