"""Done when: a manager creates a second project with its own labels and members entirely in
the browser, and its annotators never see the first project's articles."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from annotations.models import Article, Label, Membership, Project, Role
from annotations.projects.services import membership_set
from tests.browser.conftest import open_page  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screenshots"


@pytest.fixture
def manager(seeds, seed_project) -> User:
    user = User.objects.create_user("maya", "maya@example.org", "maya-password")
    membership_set(project=seed_project, user=user, role=Role.MANAGER)
    return user


@pytest.fixture
def newcomer(vocabulary) -> User:
    return User.objects.create_user("nina", "nina@example.org", "nina-password")


def test_a_manager_sets_up_a_second_project_whose_annotators_see_only_its_articles(
    open_page,  # noqa: F811
    manager,
    newcomer,
    tmp_path,
):
    page = open_page(manager)
    page.goto("/")
    expect(page).to_have_url("/projects/seed/")  # one project: straight to it
    page.get_by_role("link", name="New project").click()
    # Create the project.
    page.get_by_label("Slug (in its URL, permanent)").fill("health")
    page.get_by_label("Name", exact=True).fill("Santé publique")
    page.get_by_role("button", name="Create project").click()
    expect(page).to_have_url("/projects/health/settings/")
    # Its settings and guidelines, previewed then saved.
    page.get_by_label("Guidelines (Markdown)").fill("Surlignez **chaque chiffre** cité.")
    page.get_by_label("Languages (BCP 47 tags, comma-separated)").fill("fr, ar")
    page.get_by_role("button", name="Preview guidelines").click()
    expect(page.get_by_test_id("guidelines-preview").locator("strong")).to_have_text("chaque chiffre")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    # Its own label.
    labels = page.locator('[data-form="add-label"]')
    labels.get_by_label("Slug").fill("dosage")
    labels.get_by_label("Name").fill("Dosage")
    labels.get_by_label("Key").fill("d")
    labels.get_by_role("button", name="Add").click()
    expect(page.locator('[data-vocabulary="label"] tr[data-entry="dosage"]')).to_be_visible()
    # Retire the default attribution label (no span uses it here yet; it stays listed).
    row = page.locator('[data-vocabulary="label"] tr[data-entry="attribution"]')
    row.get_by_label("attribution retired").check()
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Attribution saved.")
    # A member.
    members = page.locator('[data-form="add-member"]')
    members.get_by_label("Username").fill("nina")
    members.get_by_label("Role").select_option("annotator")
    members.get_by_role("button", name="Add member").click()
    expect(page.locator('tr[data-member="nina"]')).to_be_visible()
    page.screenshot(path=str(tmp_path / "settings.png"), full_page=True)

    health = Project.objects.get(slug="health")
    assert health.languages == ["fr", "ar"] and "**chaque chiffre**" in health.guidelines
    assert list(Label.objects.filter(project=health, retired=False).values_list("slug", flat=True)) == [
        "claim",
        "dosage",
    ]
    assert Membership.objects.get(project=health, user=newcomer).role == Role.ANNOTATOR

    # An article arrives in the new project (imports are another page's business).
    mine = Article.objects.create(
        project=health, external_id="sante-1", title="Doses livrées", text="12 millions de doses.", language="fr"
    )
    seed_article = Article.objects.filter(project__slug="seed").first()

    annotator = open_page(newcomer)
    annotator.goto("/")
    expect(annotator).to_have_url("/projects/health/")
    expect(annotator.locator("tr[data-article-id]")).to_have_count(1)
    expect(annotator.locator(f'tr[data-article-id="{mine.pk}"]')).to_be_visible()
    annotator.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    # The annotate page offers the project's labels, not the retired one, with its guidelines a click away.
    annotator.goto(f"/articles/{mine.pk}/")
    expect(annotator.locator("[data-label=dosage]")).to_be_visible()
    expect(annotator.locator("[data-label=attribution]")).to_have_count(0)
    with annotator.expect_popup() as popup:
        annotator.get_by_test_id("guidelines-link").click()
    expect(popup.value.get_by_test_id("guidelines").locator("strong")).to_have_text("chaque chiffre")
    # The first project's articles are not there for her.
    response = annotator.goto(f"/articles/{seed_article.pk}/")
    assert response.status == 404
    listing = annotator.goto("/articles/")
    assert listing.status == 200
    expect(annotator.locator("tr[data-article-id]")).to_have_count(1)
    assert annotator.request.get(f"/api/articles/{seed_article.pk}/").status == 404


_LUMINANCE = """
(selector) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => v / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const text = document.querySelector(selector);
  const figure = text.closest('figure');
  return {text: lum(getComputedStyle(text).fill), background: lum(getComputedStyle(figure).backgroundColor)};
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_project_home_charts_read_in_light_and_dark_mode(open_page, health, health_span, rhea, scheme):  # noqa: F811
    from annotations.services import annotation_create

    # A second annotator on the same article, so agreement has something to measure.
    annotation_create(article=health_span.article, annotator=rhea, start=0, end=10, label="claim")
    page = open_page(rhea)
    page.emulate_media(color_scheme=scheme)
    page.goto("/projects/health/")
    expect(page.locator('[data-chart="labels"] svg')).to_be_visible()
    for chart in ("labels", "verdicts", "agreement"):
        seen = page.evaluate(_LUMINANCE, f'[data-chart="{chart}"] .chart-name')
        # WCAG contrast ratio of the chart's text on its panel: at least 4.5:1.
        light, dark = max(seen.values()), min(seen.values())
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (chart, scheme, seen)
        assert (seen["text"] > seen["background"]) == (scheme == "dark"), (chart, scheme, seen)
