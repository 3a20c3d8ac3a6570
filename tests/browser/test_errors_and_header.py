"""Error pages and the header: the site's layout, why, a way back; usable on a phone; dark.

Set DARK_SCREENSHOT=<path.png> (or PHONE_SCREENSHOT) to keep a screenshot of the page.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_annotator

pytestmark = pytest.mark.browser


def expect_site_page(page) -> None:
    """The page wears the site's layout: header, its stylesheet's font, a link back."""
    expect(page.locator("header.site-header .brand")).to_be_visible()
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    expect(page.get_by_role("link", name="Back to the articles")).to_have_attribute("href", "/articles/")


def test_a_missing_page_says_why_and_links_back(open_page, alice):
    page = open_page(alice)
    response = page.goto("/articles/987654/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("There is nothing here")
    expect(page.locator(".error-page")).to_contain_text("cannot see")
    expect_site_page(page)
    page.get_by_role("link", name="Back to the articles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles")


def test_a_forbidden_page_says_why_and_links_back(open_page, alice):
    page = open_page(alice)
    response = page.goto("/review/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account may not open this page")
    expect(page.locator(".error-page")).to_contain_text("signed in as alice")
    expect_site_page(page)


@pytest.mark.urls("tests.browser.error_urls")
def test_a_server_error_says_why_and_links_back(open_page, alice):
    page = open_page(alice)
    response = page.goto("/test-failure/")
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong on our side")
    expect_site_page(page)


def test_the_header_links_to_the_export_and_the_api_docs(open_page, alice, article):
    page = open_annotator(open_page(alice), article)
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="API docs")).to_have_attribute("href", "/api/docs/")
    # The export page of the seed project, through /export/ (this page names no project).
    expect(header.get_by_role("link", name="Export")).to_have_attribute("href", "/export/")
    header.get_by_role("link", name="Export").click()
    expect(page).to_have_url(re.compile(r"/projects/seed/export/$"))
    page.locator("header.site-header").get_by_role("link", name="API docs").click()
    # The page builds itself from /api/schema/, which the server generates on request: slow
    # on a busy machine, so this wait is longer than the default 5 s.
    expect(page.locator("#swagger-ui")).to_contain_text("/api/export/", timeout=30_000)


def test_the_header_fits_a_phone_and_sign_out_is_whole(open_page, alice, article):
    page = open_annotator(open_page(alice, viewport={"width": 390, "height": 844}), article)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Nothing in the header is cut off: each link ends inside its own box.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.site-header a, .site-header button')]
             .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > 390)
             .map((el) => el.textContent.trim())"""
    )
    assert clipped == []
    if os.environ.get("PHONE_SCREENSHOT"):
        page.screenshot(path=os.environ["PHONE_SCREENSHOT"])
    sign_out.click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_the_pages_follow_the_browsers_dark_setting(browser, live_server, alice, seeds):
    from annotations.models import Article
    from annotations.services import annotation_create
    from tests.conftest import session_cookie

    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")
    for phrase, label in (("وقد أعلنت أوبن أي آي", "attribution"), ("دخلت جوجل رسميًا في شراكة تقنية جديدة", "claim")):
        start = article.text.index(phrase)
        annotation_create(article=article, annotator=alice, start=start, end=start + len(phrase), label=label)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(
            base_url=live_server.url, color_scheme=scheme, viewport={"width": 1280, "height": 800}
        )
        context.add_cookies([session_cookie(alice, live_server)])
        page = open_annotator(context.new_page(), article)
        page.locator(".span-item").last.click()
        colours[scheme] = page.evaluate(
            """() => [getComputedStyle(document.body).backgroundColor,
                     getComputedStyle(document.querySelector('[data-testid=article-text]')).color]"""
        )
        if scheme == "dark" and os.environ.get("DARK_SCREENSHOT"):
            page.screenshot(path=os.environ["DARK_SCREENSHOT"])
        context.close()
    assert colours["light"] == ["rgb(246, 246, 243)", "rgb(30, 34, 38)"]  # base.css's --bg and --text
    assert colours["dark"] == ["rgb(21, 24, 27)", "rgb(230, 232, 234)"]
