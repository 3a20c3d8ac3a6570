"""The source registry: search by name, slug or alias; anyone adds, staff edit and delete."""

import pytest

from annotations.models import Source
from tests.api.conftest import row_counts
from tests.conftest import api_client


@pytest.fixture
def registry(reuters):
    Source.objects.create(slug="cnbc", name="CNBC", kind="broadcaster", aliases=["CNBC Indonesia", "سي إن بي سي"])
    Source.objects.create(slug="afp", name="Agence France-Presse", kind="news-agency", aliases=["AFP", "Agência"])
    Source.objects.create(slug="bps", name="Badan Pusat Statistik", kind="government", aliases=[])


def slugs(client, query=""):
    response = client.get(f"/api/sources/{query}")
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_it_lists_the_registry_sorted_by_name(alice, registry):
    response = api_client(alice).get("/api/sources/")
    assert response.json()["results"][0] == {
        "id": Source.objects.get(slug="afp").pk,
        "slug": "afp",
        "name": "Agence France-Presse",
        "homepage": "",
        "kind": "news-agency",
        "aliases": ["AFP", "Agência"],
        "created_by": None,
        "created_at": response.json()["results"][0]["created_at"],
        "confirmed": False,
    }
    assert slugs(api_client(alice)) == ["afp", "bps", "cnbc", "reuters"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("رويترز", ["reuters"]),  # an Arabic alias finds Reuters
        ("رويتر", ["reuters"]),  # part of it too
        ("reuters", ["reuters"]),  # the name, any case
        ("REUT", ["reuters"]),
        ("bps", ["bps"]),  # the slug
        ("indonesia", ["cnbc"]),  # a Latin alias, any case
        ("سي إن", ["cnbc"]),
        ("agência", ["afp"]),  # a non-ASCII Latin alias
        ("statistik", ["bps"]),
        ("nobody", []),
        ('"', []),  # JSON punctuation matches no alias list
        ("[", []),
        ("\\", []),
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
    ],
)
def test_it_searches_names_slugs_and_aliases(alice, registry, query, expected):
    from urllib.parse import quote

    assert slugs(api_client(alice), f"?q={quote(query)}") == expected


def test_it_filters_by_kind(alice, registry):
    assert slugs(api_client(alice), "?kind=news-agency") == ["afp", "reuters"]
    assert api_client(alice).get("/api/sources/?kind=blog").status_code == 400


def test_a_search_with_a_nul_character_answers_400(alice, registry):
    response = api_client(alice).get("/api/sources/?q=a%00b")
    assert response.status_code == 400
    assert "q" in response.json()


def test_it_reads_one_source_by_slug(alice, reuters):
    response = api_client(alice).get("/api/sources/reuters/")
    assert response.status_code == 200
    assert response.json()["aliases"] == ["رويترز"]
    assert api_client(alice).get("/api/sources/nope/").status_code == 404


def test_any_annotator_adds_a_source_and_the_slug_comes_from_the_name(alice):
    body = {"name": "Kompas Daily", "homepage": "https://www.kompas.com/", "kind": "newspaper", "aliases": [" كومباس "]}
    response = api_client(alice).post("/api/sources/", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["slug"], data["name"], data["kind"], data["aliases"], data["created_by"]) == (
        "kompas-daily",
        "Kompas Daily",
        "newspaper",
        ["كومباس"],
        "alice",
    )
    source = Source.objects.get(slug="kompas-daily")
    assert source.created_by.username == "alice" and source.homepage == "https://www.kompas.com/"


def test_a_source_may_bring_its_own_slug_and_defaults_to_kind_other(alice):
    response = api_client(alice).post("/api/sources/", {"slug": "tempo", "name": "Tempo"})
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["kind"], response.json()["aliases"]) == ("tempo", "other", [])


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"name": "Reuters"}, "slug", "already exists"),  # the slug made from the name clashes
        ({"slug": "reuters", "name": "Other"}, "slug", "already exists"),
        ({"name": "رويترز"}, "slug", "Could not make a slug"),
        ({"slug": "not a slug", "name": "X"}, "slug", "valid"),
        ({"slug": "x" * 81, "name": "X"}, "slug", "no more than 80"),
        ({"slug": 5, "name": "X"}, "slug", "string"),
        ({}, "name", "required"),
        ({"name": ""}, "name", "blank"),
        ({"name": "n" * 201}, "name", "no more than 200"),
        ({"name": 12}, "name", "string"),
        ({"name": "X", "homepage": "javascript:alert(1)"}, "homepage", "http"),
        ({"name": "X", "homepage": "data:text/html,hi"}, "homepage", "http"),
        ({"name": "X", "homepage": "https://example.org/" + "a" * 2030}, "homepage", "at most 2048"),
        ({"name": "X", "kind": "blog"}, "kind", "not a valid choice"),
        ({"name": "X", "aliases": "AFP"}, "aliases", "list"),
        ({"name": "X", "aliases": [1]}, "aliases", "string"),
        ({"name": "X", "aliases": [""]}, "aliases", "blank"),
        ({"name": "X", "aliases": ["a" * 201]}, "aliases", "no more than 200"),
        ({"name": "X", "aliases": ["a"] * 51}, "aliases", "no more than 50"),
        ({"name": "X", "nickname": "x"}, "nickname", "Unknown field"),
    ],
)
def test_it_refuses_a_bad_source(alice, reuters, body, field, fragment):
    before = row_counts()
    response = api_client(alice).post("/api/sources/", body)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert fragment in str(response.json()[field]), response.json()
    assert row_counts() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_annotators_and_reviewers_cannot_edit_or_delete_the_registry(method, alice, rita, reuters):
    for user in (alice, rita):
        response = getattr(api_client(user), method)("/api/sources/reuters/", {"name": "Changed"})
        assert response.status_code == 403
    assert Source.objects.get(slug="reuters").name == "Reuters"


def test_staff_edit_a_source(sam, reuters):
    client = api_client(sam)
    response = client.patch("/api/sources/reuters/", {"aliases": ["رويترز", "Reuters News"]})
    assert response.status_code == 200
    assert Source.objects.get(slug="reuters").aliases == ["رويترز", "Reuters News"]
    assert client.patch("/api/sources/reuters/", {"homepage": "javascript:x"}).status_code == 400
    response = client.put("/api/sources/reuters/", {"name": "Thomson Reuters"})
    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["kind"], response.json()["aliases"]) == ("reuters", "other", [])


def test_staff_delete_an_unused_source_but_not_a_linked_one(sam, alice, make_annotation, reuters):
    Source.objects.create(slug="unused", name="Unused")
    client = api_client(sam)
    assert client.delete("/api/sources/unused/").status_code == 204
    make_annotation(alice)
    response = client.delete("/api/sources/reuters/")
    assert response.status_code == 409
    assert "1 source link(s)" in response.json()["detail"]
    assert Source.objects.filter(slug="reuters").exists()
