"""The API docs page renders in a real browser with no network beyond our server and no CSP error."""

import os

import pytest
from django.conf import settings
from django.test import Client

playwright = pytest.importorskip("playwright.sync_api")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop runs in this thread
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.mark.browser
def test_the_docs_page_renders_swagger_ui_offline(alice, live_server):
    client = Client()
    client.force_login(alice)
    problems, outside = [], []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(base_url=live_server.url)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )

            def only_our_server(route):
                if route.request.url.startswith(live_server.url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", only_our_server)
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto("/api/docs/")
            page.locator(".swagger-ui .info .title").filter(has_text="Fact-check workbench API").wait_for()
            page.locator(".opblock-summary-path", has_text="/api/annotations/{id}/").first.wait_for()
            assert page.locator(".opblock").count() > 20
        finally:
            browser.close()
    assert outside == []
    assert problems == []
