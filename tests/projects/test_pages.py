"""Project pages: my projects, a project's home, its settings (managers) and guidelines."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from annotations.models import Article, Label, Membership, Project, Role
from annotations.projects.services import membership_set, project_create
from annotations.services import annotation_create

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_one_project_goes_straight_to_it(alice, seed_project):
    response = signed_in(alice).get("/", {"language": "fr"})
    assert response.status_code == 302 and response["Location"] == "/projects/seed/?language=fr"


def test_several_projects_are_listed_with_my_role(health, hana, seed_project):
    membership_set(project=seed_project, user=hana, role=Role.REVIEWER)
    html = signed_in(hana).get("/").content.decode()
    assert 'href="/projects/health/"' in html and 'href="/projects/seed/"' in html
    assert 'dir="auto">Health misinformation</a>' in html
    assert 'action="/projects/new/"' not in html  # an annotator and reviewer starts no project


def test_a_manager_starts_a_project_from_the_list(health, mona):
    client = signed_in(mona)
    assert client.get("/")["Location"] == "/projects/health/"  # one project: straight to it
    assert 'href="/projects/#new-project"' in client.get("/projects/health/").content.decode()
    assert 'action="/projects/new/"' in client.get("/projects/").content.decode()
    response = client.post("/projects/new/", {"slug": "election", "name": "Élection"})
    assert response.status_code == 302 and response["Location"] == "/projects/election/settings/"
    assert Membership.objects.get(project__slug="election", user=mona).role == Role.MANAGER
    assert Label.objects.filter(project__slug="election").count() == 2
    bad = client.post("/projects/new/", {"slug": "election", "name": "Again"})
    assert bad.status_code == 400 and "slug:" in bad.content.decode()


def test_an_annotator_cannot_start_a_project(alice):
    assert signed_in(alice).post("/projects/new/", {"slug": "x", "name": "X"}).status_code == 403
    assert not Project.objects.filter(slug="x").exists()


def test_the_home_lists_the_project_s_articles_only(health, health_article, article, hana, rita):
    html = signed_in(rita).get("/projects/health/").content.decode()
    assert f'data-article-id="{health_article.pk}"' in html
    assert f'data-article-id="{article.pk}"' not in html
    assert signed_in(hana).get("/projects/health/", {"q": "nothing"}).context["page"].paginator.count == 0


def test_the_home_shows_progress_and_charts_to_reviewers(health, health_article, hana, rhea, mona):
    annotation_create(article=health_article, annotator=hana, start=0, end=5, label="claim", verdict="false")
    html = signed_in(rhea).get("/projects/health/").content.decode()
    assert '<tr data-member="hana">' in html
    assert '<td class="numeric" data-testid="in-progress">1</td>' in html
    for chart in ("labels", "verdicts", "days", "agreement"):
        assert f'data-chart="{chart}"' in html, chart
    assert 'fill="#ffd54f"' in html  # the claim label's own colour
    assert 'data-name="False" data-value="1"' in html
    annotator_view = signed_in(hana).get("/projects/health/").content.decode()
    assert 'data-member="hana"' not in annotator_view and 'data-chart="agreement"' not in annotator_view
    assert 'data-chart="labels"' in annotator_view


def test_settings_are_for_managers(health, hana, mona):
    assert signed_in(hana).get("/projects/health/settings/").status_code == 403
    assert signed_in(mona).get("/projects/health/settings/").status_code == 200


def test_a_manager_saves_settings_and_guidelines_are_sanitised(health, mona):
    client = signed_in(mona)
    body = {
        "action": "project",
        "name": "Santé",
        "description": "",
        "guidelines": "**Surlignez** <script>alert(1)</script> [x](javascript:alert(1))",
        "languages": "fr, ar",
        "allow_overlap": "on",
        "annotators_per_article": "2",
    }
    preview = client.post("/projects/health/settings/", {**body, "preview": "1"})
    assert preview.status_code == 200 and "<strong>Surlignez</strong>" in preview.content.decode()
    assert Project.objects.get(pk=health.pk).name == "Health misinformation"  # a preview saves nothing
    assert client.post("/projects/health/settings/", body).status_code == 302
    health.refresh_from_db()
    assert (health.name, health.languages, health.annotators_per_article, health.suggestions) == (
        "Santé",
        ["fr", "ar"],
        2,
        False,
    )
    html = client.get("/projects/health/guidelines/").content.decode()
    assert "<strong>Surlignez</strong>" in html and "<script>alert" not in html and "javascript:" not in html


def test_bad_settings_are_refused_with_the_field_named(health, mona):
    response = signed_in(mona).post(
        "/projects/health/settings/",
        {"action": "project", "name": "x", "languages": "fr, not a tag", "annotators_per_article": "1"},
    )
    assert response.status_code == 400 and "languages:" in response.content.decode()
    assert 'value="fr, not a tag"' in response.content.decode()  # what was typed is kept
    assert Project.objects.get(pk=health.pk).name == "Health misinformation"


def test_a_manager_edits_the_vocabulary_and_members_from_the_page(health, health_span, mona, alice):
    client = signed_in(mona)
    added = client.post(
        "/projects/health/settings/",
        {
            "action": "add-entry",
            "kind": "label",
            "slug": "dosage",
            "name": "Dosage",
            "color": "#a5d6a7",
            "shortcut": "d",
        },
    )
    assert added.status_code == 302
    claim = Label.objects.get(project=health, slug="claim")
    retired = client.post(
        "/projects/health/settings/",
        {"action": "edit-entry", "kind": "label", "id": claim.pk, "name": "Claim", "color": "#ffd54f", "order": "5",
         "retired": "on"},
    )  # fmt: skip
    assert retired.status_code == 302
    claim.refresh_from_db()
    assert claim.retired and claim.order == 5
    assert health_span.__class__.objects.get(pk=health_span.pk).label_id == claim.pk  # its spans keep it
    assert client.post("/projects/health/settings/", {"action": "set-member", "username": "alice", "role": "annotator"})
    assert Membership.objects.get(project=health, user=alice).role == Role.ANNOTATOR
    last = client.post("/projects/health/settings/", {"action": "remove-member", "username": "mona"})
    assert last.status_code == 409 and Membership.objects.filter(project=health, user=mona).exists()
    clash = client.post(
        "/projects/health/settings/",
        {"action": "add-entry", "kind": "label", "slug": "other", "name": "Other", "shortcut": "d"},
    )
    assert clash.status_code == 400 and "shortcut:" in clash.content.decode()


def test_the_annotate_page_links_the_project_s_guidelines(health_article, hana):
    html = signed_in(hana).get(f"/articles/{health_article.pk}/").content.decode()
    assert 'href="/projects/health/guidelines/"' in html and 'href="/projects/health/"' in html


def _grow(health, count: int) -> None:
    """More projects, members and articles around the one being measured."""
    for n in range(count):
        owner = User.objects.create_user(f"owner{n}")
        other = project_create(slug=f"other{n}", name=f"Other {n}", creator=owner)
        for m in range(3):
            user = User.objects.create_user(f"member{n}-{m}")
            membership_set(project=other, user=user, role=Role.ANNOTATOR)
            membership_set(project=health, user=user, role=Role.ANNOTATOR)
        Article.objects.create(project=health, external_id=f"h{n}", title=f"H{n}", text="Texte.", language="fr")
        Article.objects.create(project=other, external_id=f"o{n}", title=f"O{n}", text="Texte.", language="fr")


@pytest.mark.parametrize("count", [1, 6])
def test_the_project_home_runs_the_same_queries_whatever_the_number_of_projects_and_members(
    health, health_span, rhea, count, django_assert_num_queries
):
    _grow(health, count)
    client = signed_in(rhea)
    # session, user, project (visible_to), rhea's roles, groups; count + page of articles,
    # languages; progress: article count, members, done, started; charts: labels (+ their
    # counts), verdicts (+ counts), days; the agreement report's own 6; the header's review check
    with django_assert_num_queries(23):
        response = client.get("/projects/health/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_annotate_page_runs_the_same_queries_whatever_the_number_of_projects_and_members(
    health, health_article, health_span, hana, count, django_assert_num_queries
):
    _grow(health, count)
    client = signed_in(hana)
    # as tests/ui/test_annotate_page.py counts them: the same 15 with 1 or 6 other projects
    with django_assert_num_queries(15):
        response = client.get(f"/articles/{health_article.pk}/")
    assert response.status_code == 200


def test_project_text_is_shown_as_text_on_every_project_page(mona):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    project_create(slug="hostile", name=hostile, description=hostile, guidelines=hostile, creator=mona)
    client = signed_in(mona)
    for path in ("/projects/", "/projects/hostile/", "/projects/hostile/settings/", "/projects/hostile/guidelines/"):
        body = client.get(path).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;alert" in body, path


def test_previous_and_next_stay_in_the_article_s_project(health, health_article, article, hana, seed_project):
    membership_set(project=seed_project, user=hana, role=Role.ANNOTATOR)
    later = Article.objects.create(
        project=health, external_id="h-later", title="Plus tard", text="Texte.", language="fr"
    )
    page = signed_in(hana).get(f"/articles/{health_article.pk}/").content.decode()
    assert f'href="/articles/{later.pk}/" rel="next"' in page
    assert f"/articles/{article.pk}/" not in page
    assert 'href="/projects/health/"' in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_article_lists_run_the_same_queries_whatever_the_number_of_projects_and_members(
    health, health_article, hana, count, django_assert_num_queries
):
    _grow(health, count)
    client = signed_in(hana)
    # session, user, count, the page, languages, the header's groups and memberships
    with django_assert_num_queries(7):
        page = client.get("/articles/")
    assert page.context["page"].paginator.count == count + 1
    from tests.conftest import api_client

    api = api_client(hana)
    # COUNT and the page of articles (with their project's slug joined)
    with django_assert_num_queries(2):
        listed = api.get("/api/articles/")
    assert listed.json()["count"] == count + 1
