"""The import API: upload → 202 and a queued job; the job's status, progress and errors;
managers only, outsiders get 404, limits answered with 413 and per-field 400s."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from annotations.models import Article, ImportJob, Membership

DOCCANO = "\n".join(
    json.dumps({"text": f"Selon Reuters, {n} euros.", "label": [[0, 13, "attribution"]]}) for n in range(4)
).encode()


@pytest.fixture
def mona(seed_project) -> User:
    user = User.objects.create_user("mona", "mona@example.org", "mona-password")
    Membership.objects.create(project=seed_project, user=user, role="manager")
    return user


def client_for(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(user)
    return client


def upload(client, content=DOCCANO, name="doccano.jsonl", slug="seed", **fields):
    return client.post(
        f"/api/projects/{slug}/imports/", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart"
    )


@pytest.mark.django_db(transaction=True)
def test_a_manager_uploads_a_file_and_follows_the_job_to_done(mona, alice, settings):
    settings.IMPORT_QUEUE = settings.TASKS["default"]["QUEUES"][0]
    client = client_for(mona)
    response = upload(client, annotator="alice")
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert response.json() == {"id": job.pk, "status": "queued", "url": f"/api/imports/{job.pk}/"}
    queued = client.get(f"/api/imports/{job.pk}/").json()
    assert (queued["status"], queued["project"], queued["format"], queued["annotator"]) == (
        "queued",
        "seed",
        "jsonl",
        "alice",
    )
    call_command("worker", batch=True, verbosity=0)
    done = client.get(f"/api/imports/{job.pk}/").json()
    assert {key: done[key] for key in ("status", "total", "processed", "created", "updated", "unchanged", "spans")} == {
        "status": "done",
        "total": 4,
        "processed": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "spans": 4,
    }
    assert done["errors"] == [] and done["finished_at"] and done["articles_url"] == "/api/articles/?project=seed"
    assert Article.objects.filter(project__slug="seed").count() == 4


def test_outsiders_get_404_and_annotators_403(seed_project, mona, alice, vocabulary):
    outsider = User.objects.create_user("olga", "olga@example.org", "olga-password")
    assert upload(client_for(outsider)).status_code == 404
    assert upload(client_for(mona), slug="no-such-project").status_code == 404
    assert upload(client_for(alice)).status_code == 403
    job_url = upload(client_for(mona)).json()["url"]
    assert client_for(outsider).get(job_url).status_code == 404
    assert client_for(alice).get(job_url).status_code == 404
    assert APIClient().get(job_url).status_code in (401, 403)
    assert APIClient().post("/api/projects/seed/imports/").status_code in (401, 403)


def test_a_session_upload_needs_the_csrf_token(mona):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(mona)
    response = upload(client)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_413(mona, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 100
    response = upload(client_for(mona), content=b"x" * 101, name="big.txt")
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is larger than the upload limit of 100 bytes."}
    response = upload(client_for(mona), content=b"x" * (200 * 1024), name="big.txt")  # refused from its length
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("fields", "name", "expected"),
    [
        ({"format": "excel"}, "a.jsonl", {"format": ['"excel" is not a valid choice.']}),
        (
            {},
            "notes.md",
            {
                "format": [
                    "Cannot tell the format of 'notes.md' from its name; choose one of txt, html, "
                    "jsonl, doccano, label-studio, csv."
                ]
            },
        ),
        ({"annotator": "nobody"}, "a.jsonl", {"annotator": ["'nobody' is not a member of this project."]}),
    ],
)
def test_bad_fields_are_refused_by_field(mona, fields, name, expected):
    response = upload(client_for(mona), name=name, **fields)
    assert response.status_code == 400
    assert response.json() == expected
    assert not ImportJob.objects.exists()


def test_a_missing_or_empty_file_is_refused(mona):
    client = client_for(mona)
    response = client.post("/api/projects/seed/imports/", {"format": "jsonl"}, format="multipart")
    assert response.status_code == 400 and list(response.json()) == ["file"]
    response = upload(client, content=b"")
    assert response.status_code == 400 and list(response.json()) == ["file"]


@pytest.mark.parametrize("jobs", [1, 6])
def test_the_upload_page_lists_recent_jobs_in_constant_queries(
    mona, alice, seed_project, jobs, django_assert_num_queries
):
    for n in range(jobs):
        ImportJob.objects.create(project=seed_project, created_by=mona, annotator=alice, file_name=f"{n}.jsonl")
    client = Client()
    client.force_login(mona)
    # session; user; the project (visible to mona); her memberships (role); whether she is
    # in the reviewer group; the members with their users; the recent jobs with project
    # and annotator.
    with django_assert_num_queries(7):
        response = client.get("/projects/seed/import/")
    assert response.status_code == 200
    assert response.content.decode().count(".jsonl</td>") == jobs
