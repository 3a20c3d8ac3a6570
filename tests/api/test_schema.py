"""The OpenAPI schema is valid and says what the API does; the docs page works offline."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.conftest import api_client


@pytest.fixture
def schema(alice):
    response = api_client(alice).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_the_schema_lists_every_endpoint_of_the_design(schema):
    paths = schema["paths"]
    for path, methods in {
        "/api/auth/token/": {"post"},
        "/api/articles/": {"get"},
        "/api/articles/{id}/": {"get"},
        "/api/annotations/": {"get", "post"},
        "/api/annotations/{id}/": {"get", "put", "patch", "delete"},
        "/api/annotations/{id}/restore/": {"post"},
        "/api/sources/": {"get", "post"},
        "/api/sources/{slug}/": {"get", "put", "patch", "delete"},
        "/api/labels/": {"get"},
        "/api/claim-types/": {"get"},
        "/api/verdicts/": {"get"},
    }.items():
        assert methods <= set(paths[path]), path


def test_the_schema_documents_filters_versions_and_conflicts(schema):
    paths = schema["paths"]

    def parameters(path, method):
        return {p["name"]: p for p in paths[path][method].get("parameters", [])}

    assert {"article", "label", "annotator", "page", "page_size"} <= set(parameters("/api/annotations/", "get"))
    assert {"language", "q"} <= set(parameters("/api/articles/", "get"))
    assert {"q", "kind"} <= set(parameters("/api/sources/", "get"))
    for method in ("patch", "put", "delete"):
        operation = paths["/api/annotations/{id}/"][method]
        assert {"400", "403", "404", "409"} <= set(operation["responses"]), method
        assert parameters("/api/annotations/{id}/", method)["If-Match"]["in"] == "header"
    conflict = paths["/api/annotations/{id}/"]["patch"]["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict["$ref"].endswith("/StaleVersion")
    assert "ETag" in paths["/api/annotations/{id}/"]["get"]["responses"]["200"]["headers"]


def test_the_schema_separates_what_clients_send_from_what_they_get(schema):
    components = schema["components"]["schemas"]
    sent = components["AnnotationInput"]["properties"]
    assert {"id", "annotator", "created_at", "is_gold"}.isdisjoint(sent)
    assert {"article", "start", "end", "text", "label", "source_links", "version"} <= set(sent)
    assert set(components["AnnotationInput"]["required"]) == {"article", "start", "end", "label"}
    received = components["Annotation"]["properties"]
    assert received["source_links"]["items"]["$ref"].endswith("/SourceLink")
    assert {"source", "name", "url", "relation"} == set(components["SourceLink"]["properties"])


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(alice):
    client = api_client(alice, csrf=True)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/") for url in assets), assets  # nothing from a CDN
    assert "<style" not in html and re.search(r"<script>\s*\S", html) is None  # CSP: no inline code
    for url in assets:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
