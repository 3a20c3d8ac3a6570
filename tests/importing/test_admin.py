"""The admin uploads through the same job and engine as the upload page."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from annotations.models import Annotation, ImportJob
from tests.importing.test_formats import DATA


def admin_client(user) -> Client:
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_importjob", "view_importjob"]))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_staff_upload_a_file_in_the_admin_and_the_worker_imports_it(sam, alice, seed_project, settings):
    client = admin_client(sam)
    upload = SimpleUploadedFile("doccano.jsonl", (DATA / "doccano.jsonl").read_bytes())
    response = client.post(
        "/admin/annotations/importjob/add/",
        {"project": seed_project.pk, "format": "auto", "annotator": alice.pk, "upload": upload},
    )
    assert response.status_code == 302, response.content[:2000]
    job = ImportJob.objects.get()
    assert (job.status, job.format, job.created_by, job.annotator) == ("queued", "jsonl", sam, alice)
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.created, job.spans) == ("done", 3, 6)
    assert Annotation.objects.filter(annotator=alice).count() == 6
    assert client.get(f"/admin/annotations/importjob/{job.pk}/change/").status_code == 200


def test_the_admin_refuses_a_file_whose_format_it_cannot_tell(sam, seed_project):
    client = admin_client(sam)
    response = client.post(
        "/admin/annotations/importjob/add/",
        {"project": seed_project.pk, "format": "auto", "upload": SimpleUploadedFile("notes.md", b"# x")},
    )
    assert response.status_code == 200
    assert "Cannot tell the format of &#x27;notes.md&#x27;" in response.content.decode()
    assert not ImportJob.objects.exists()
