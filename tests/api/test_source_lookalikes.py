"""Look-alike sources: a new name or alias may not match an existing source's name or alias
once case, width and compatibility forms are folded (and invisible format characters are
ignored); sources added by annotators stay unconfirmed until staff confirm them."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from annotations.models import Source
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(reuters):
    Source.objects.create(
        slug="afp", name="Agence France-Presse", aliases=["AFP", "وكالة الصحافة الفرنسية"], confirmed=True
    )
    return reuters


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Reuters"}, "name"),
        ({"name": "reuters", "slug": "reuters-2"}, "name"),
        ({"name": "REUTERS"}, "name"),
        ({"name": "\uff32\uff45\uff55\uff54\uff45\uff52\uff53"}, "name"),  # fullwidth "Reuters"
        ({"name": "Reu\u200bters"}, "name"),  # a zero-width space inside
        ({"name": " Reuters "}, "name"),
        ({"name": "رويترز"}, "name"),  # Reuters' alias as a name
        ({"name": "Agence X", "aliases": ["afp"]}, "aliases"),  # AFP's alias, other case
        ({"name": "Agence Y", "aliases": ["Agence France-Presse"]}, "aliases"),  # AFP's name as an alias
        ({"name": "Agence Z", "aliases": ["X", "رويترز"]}, "aliases"),
    ],
)
def test_it_refuses_a_name_or_alias_that_folds_to_an_existing_one(alice, registry, body, field):
    response = api_client(alice).post("/api/sources/", body, format="json")
    assert response.status_code == 400, response.content
    message = " ".join(response.json()[field])
    assert "already" in message
    assert Source.objects.count() == 2


def test_the_reversed_reuters_with_reuters_aliases_is_refused_on_both_counts(alice, registry):
    body = {"name": "\u202esretueR", "aliases": ["Reuters", "رويترز"]}
    response = api_client(alice).post("/api/sources/", body, format="json")
    assert response.status_code == 400
    assert "bidirectional" in response.json()["name"][0]
    assert all("Reuters (reuters) already goes by" in message for message in response.json()["aliases"])
    assert Source.objects.count() == 2


def test_it_names_the_source_a_look_alike_collides_with(alice, registry):
    response = api_client(alice).post("/api/sources/", {"name": "REUTERS"}, format="json")
    assert "Reuters (reuters)" in response.json()["name"][0]


def test_a_distinct_source_is_added_unconfirmed_by_an_annotator(alice, registry):
    response = api_client(alice).post("/api/sources/", {"name": "Kompas", "aliases": ["كومباس"]}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["confirmed"] is False
    assert Source.objects.get(slug="kompas").confirmed is False


def test_an_annotator_cannot_confirm_a_source(alice, registry):
    response = api_client(alice).post("/api/sources/", {"name": "Kompas", "confirmed": True}, format="json")
    assert response.status_code == 400
    assert "confirmed" in response.json()
    assert not Source.objects.filter(slug="kompas").exists()


def test_staff_add_confirmed_sources_and_confirm_others(sam, alice, registry):
    added = api_client(sam).post("/api/sources/", {"name": "Tempo"}, format="json")
    assert added.status_code == 201 and added.json()["confirmed"] is True
    api_client(alice).post("/api/sources/", {"name": "Kompas"}, format="json")
    confirmed = api_client(sam).patch("/api/sources/kompas/", {"confirmed": True}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True


def test_a_source_keeps_its_own_names_when_edited(sam, registry):
    response = api_client(sam).patch(
        "/api/sources/reuters/", {"name": "REUTERS", "aliases": ["رويترز", "Reuters"]}, format="json"
    )
    assert response.status_code == 200, response.content


def test_an_edit_may_not_take_another_sources_alias(sam, registry):
    response = api_client(sam).patch("/api/sources/reuters/", {"aliases": ["AFP"]}, format="json")
    assert response.status_code == 400
    assert "Agence France-Presse (afp)" in response.json()["aliases"][0]


@pytest.fixture
def admin_client(sam) -> Client:
    sam.user_permissions.add(*Permission.objects.filter(content_type__app_label="annotations"))
    client = Client()
    client.force_login(sam)
    return client


def test_staff_confirm_sources_with_an_admin_action(admin_client, alice, registry):
    api_client(alice).post("/api/sources/", {"name": "Kompas"}, format="json")
    api_client(alice).post("/api/sources/", {"name": "Detik"}, format="json")
    ids = list(Source.objects.filter(confirmed=False).values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/annotations/source/", {"action": "confirm_sources", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert "2 sources confirmed" in response.content.decode()
    assert not Source.objects.filter(confirmed=False).exists()


def test_the_admin_refuses_a_look_alike_too(admin_client, registry):
    response = admin_client.post(
        "/admin/annotations/source/add/",
        {
            "slug": "reuters-2",
            "name": "\uff32\uff25\uff35\uff34\uff25\uff32\uff33",
            "kind": "other",
            "homepage": "",
            "aliases": "[]",
        },
    )
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert not Source.objects.filter(slug="reuters-2").exists()


def _add_reuters_look_alike(admin_client):
    return admin_client.post(
        "/admin/annotations/source/add/",
        {"slug": "reuters-2", "name": "REUTERS", "kind": "other", "homepage": "", "aliases": "[]"},
    )


def test_a_look_alike_added_by_someone_else_meanwhile_is_shown_in_the_form_not_a_server_error(
    admin_client, monkeypatch, registry
):
    """Someone else's "Reuters" lands after the admin form checked "REUTERS" and before it
    saves (PostgreSQL lets that happen; the form's check is played here as having run
    before it): the service refuses under the registry lock, and the form comes back with
    the reason beside its fields and what was typed."""
    checks = {"run": 0}
    look_alikes = Source._refuse_look_alikes

    def first_check_before_the_other_writer(self):
        checks["run"] += 1
        if checks["run"] > 1:  # the service's check under the lock, then the form's again
            look_alikes(self)

    monkeypatch.setattr(Source, "_refuse_look_alikes", first_check_before_the_other_writer)
    response = _add_reuters_look_alike(admin_client)
    assert checks["run"] == 3
    assert response.status_code == 200
    page = response.content.decode()
    assert "already" in page and 'value="reuters-2"' in page
    assert not Source.objects.filter(slug="reuters-2").exists()


def test_a_save_refused_twice_in_a_row_says_why_and_keeps_nothing(admin_client, monkeypatch, db):
    from django.core.exceptions import ValidationError

    from annotations.admin import SourceAdmin

    def always_refused(self, request, obj, form, change):
        raise ValidationError({"name": "Refused under the lock."})

    monkeypatch.setattr(SourceAdmin, "save_model", always_refused)
    response = _add_reuters_look_alike(admin_client)
    assert response.status_code == 302 and response.url == "/admin/annotations/source/add/"
    page = admin_client.get(response.url).content.decode()
    assert "Not saved: name: Refused under the lock." in page
    assert not Source.objects.exists()
