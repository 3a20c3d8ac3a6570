"""Fixtures for the several-annotators tests: a third annotator and a span helper."""

import os

import pytest
from django.contrib.auth.models import Group, User

from annotations.services import annotation_create

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Every test here creates four or five users; the production hasher would spend most
    # of the run hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carol(vocabulary) -> User:
    user = User.objects.create_user("carol", "carol@example.org", "carol-password")
    user.groups.add(Group.objects.get(name="annotator"))
    return user


@pytest.fixture
def mark():
    """``mark(article, user, start, end, label="claim", **fields)``: a span through the services."""

    def make(article, user, start, end, label="claim", **fields):
        return annotation_create(article=article, annotator=user, start=start, end=end, label=label, **fields)

    return make
