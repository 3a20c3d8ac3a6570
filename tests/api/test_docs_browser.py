"""The API docs page renders in a real browser with no network beyond our server and no CSP error."""

import pytest

from tests.conftest import session_cookie


@pytest.mark.browser
def test_the_docs_page_renders_swagger_ui_offline(browser, alice, live_server):
    problems, outside = [], []
    context = browser.new_context(base_url=live_server.url)
    try:
        context.add_cookies([session_cookie(alice, live_server)])

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
        context.close()
    assert outside == []
    assert problems == []
