"""The header links each role to the pages it may use."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _header(user) -> str:
    client = Client()
    client.force_login(user)
    html = client.get("/", follow=True).content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_it_links_reviewers_to_the_review_pages(rita):
    assert 'href="/review/"' in _header(rita)


def test_it_shows_annotators_no_review_or_admin_link(alice):
    header = _header(alice)
    assert 'href="/review/"' not in header
    assert 'href="/admin/"' not in header


def test_it_links_staff_to_review_and_admin(sam):
    header = _header(sam)
    assert 'href="/review/"' in header and 'href="/admin/"' in header
