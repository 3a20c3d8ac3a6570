"""Shared test fixtures: named users (alice and bob annotate the `seed` project, rita reviews
every project through the reviewer group, sam is staff), the seed corpus, and one headless
chromium for every browser test."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from annotations.models import SEED_PROJECT, Article, ClaimType, Label, Membership, Project, Source, Verdict
from annotations.vocabulary import install_defaults

# playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's package; playwright's download is not used
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SEED_FIXTURES = ["fixtures/vocabulary.json", "fixtures/sources.json", "fixtures/seed_articles.json"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Most tests create users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser():
    """One browser for the whole run (a second sync playwright cannot start inside the first)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def session_cookie(user: User, live_server) -> dict:
    """A cookie that signs ``user`` in to the live server, for ``context.add_cookies``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server.url}


@pytest.fixture
def seed_project(db) -> Project:
    """The project first-round data lives in (articles created without one land here)."""
    # Transactional tests flush the migration's rows; put them back.
    return Project.objects.get_or_create(slug=SEED_PROJECT, defaults={"name": "Seed corpus"})[0]


@pytest.fixture
def vocabulary(seed_project):
    install_defaults(Label, ClaimType, Verdict, Group, project=seed_project)


def _user(username: str, *, groups=(), projects=(), **extra) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", f"{username}-password", **extra)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for project, role in projects:
        Membership.objects.create(project=project, user=user, role=role)
    return user


@pytest.fixture
def alice(vocabulary, seed_project) -> User:
    return _user("alice", groups=["annotator"], projects=[(seed_project, "annotator")])


@pytest.fixture
def bob(vocabulary, seed_project) -> User:
    return _user("bob", groups=["annotator"], projects=[(seed_project, "annotator")])


@pytest.fixture
def rita(vocabulary) -> User:
    return _user("rita", groups=["reviewer"])


@pytest.fixture
def sam(vocabulary) -> User:
    return _user("sam", is_staff=True)


@pytest.fixture
def article(vocabulary) -> Article:
    return Article.objects.create(
        external_id="test-article",
        title="Selon Reuters",
        text="Selon Reuters, OpenAI a signé un accord. 🎉 Le café coûte 12 milliards de dollars.\nFin.",
        language="fr",
        publisher="Test",
    )


@pytest.fixture
def reuters(vocabulary) -> Source:
    return Source.objects.create(
        slug="reuters",
        name="Reuters",
        homepage="https://www.reuters.com/",
        kind="news-agency",
        aliases=["رويترز"],
        confirmed=True,
    )


@pytest.fixture
def seeds(vocabulary):
    from django.core.management import call_command

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


def api_client(user: User | None = None, *, csrf: bool = False) -> APIClient:
    client = APIClient(enforce_csrf_checks=csrf)
    if user is not None and csrf:
        client.force_login(user)  # a real session, so the CSRF check applies
    elif user is not None:
        client.force_authenticate(user)
    return client


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a test that did not run: fail the run.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        reporter.write_line("CI: tests were skipped; a skipped test counts as a failure here.", red=True)
        session.exitstatus = 1
