"""In a real browser the pages work under the Content-Security-Policy: no violation, no error."""

import pytest

from annotations.models import Article
from tests.conftest import session_cookie

# Collects violations in the page itself: some are reported only as events, not on the console.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


class Watched:
    """A browser page that records CSP violations, console errors and script errors."""

    def __init__(self, browser, live_server, user=None):
        self.context = browser.new_context(base_url=live_server.url)
        if user is not None:
            self.context.add_cookies([session_cookie(user, live_server)])
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.add_init_script(WATCH_CSP)
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message) -> None:
        # Failed loads are reported with their URL by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        return self.problems + self.page.evaluate("window.__cspViolations || []")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signing_in_through_the_login_page_raises_no_csp_violation(browser, live_server, vocabulary, alice):
    watched = Watched(browser, live_server)
    watched.visit("/accounts/login/")
    watched.page.fill("input[name=username]", "alice")
    watched.page.fill("input[name=password]", "alice-password")
    watched.page.click("button[type=submit]")
    watched.page.wait_for_url(f"{live_server.url}/projects/seed/")  # "/" opens alice's only project
    watched.page.wait_for_load_state("networkidle")
    assert watched.violations() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_annotate_page_renders_and_saves_a_span_under_the_policy(browser, live_server, vocabulary, alice):
    article = Article.objects.create(
        external_id="csp", title="Selon Reuters", text="Selon Reuters, le café coûte 12 dollars. 🎉 Fin.", language="fr"
    )
    watched = Watched(browser, live_server, alice)
    watched.visit(f"/articles/{article.pk}/")
    text = watched.page.locator("[data-testid=article-text]")
    assert "Selon Reuters" in text.inner_text()
    # Select "Reuters" and label it: the page's script and its fetch run under the policy.
    text.evaluate(
        """(node) => {
          const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
          const first = walker.nextNode();
          const range = document.createRange();
          range.setStart(first, 6);
          range.setEnd(first, 13);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          node.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    watched.page.click("[data-label=claim]")
    watched.page.wait_for_selector("[data-annotation-id]")
    watched.page.wait_for_load_state("networkidle")
    assert watched.violations() == []
    assert article.annotations.get().text == "Reuters"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy(browser, live_server, vocabulary, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    Article.objects.create(external_id="a", title="An article", text="Some text.", language="fr")
    watched = Watched(browser, live_server, root)
    for path in ["/admin/", "/admin/annotations/article/", "/admin/annotations/article/add/", "/admin/auth/user/"]:
        watched.visit(path)
    # The changelist's select-all checkbox is admin JavaScript: it must run.
    watched.visit("/admin/annotations/article/")
    watched.page.check("#action-toggle")
    assert watched.page.locator("input.action-select").first.is_checked()
    assert watched.violations() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_documentation_works_under_the_policy(browser, live_server, vocabulary, alice):
    watched = Watched(browser, live_server, alice)
    watched.visit("/api/docs/")
    watched.page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert watched.violations() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browsable_api_works_under_the_policy(browser, live_server, vocabulary, alice):
    watched = Watched(browser, live_server, alice)
    watched.visit("/api/")
    watched.visit("/api/annotations/")
    assert watched.violations() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_span_history_in_the_admin_works_under_the_policy(browser, live_server, vocabulary, django_user_model):
    from annotations.services import annotation_create, annotation_update

    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    article = Article.objects.create(external_id="h", title="History", text="Selon Reuters, fin.", language="fr")
    span = annotation_create(article=article, annotator=root, start=6, end=13, label="claim")
    annotation_update(annotation=span, expected_version=1, changes={"note": "checked"})
    record = span.history.earliest()
    watched = Watched(browser, live_server, root)
    watched.visit(f"/admin/annotations/annotation/{span.pk}/history/")
    assert watched.page.locator("#change-history tbody tr").count() == 2
    watched.visit(f"/admin/annotations/annotation/{span.pk}/history/{record.history_id}/")
    # The article cannot be deleted while it has spans: the admin's refusal page says why.
    watched.visit(f"/admin/annotations/article/{article.pk}/delete/")
    assert "an annotated article cannot be deleted" in watched.page.inner_text("#content")
    assert watched.violations() == []
