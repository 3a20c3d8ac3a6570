"""``POST /api/projects/{slug}/imports/`` (upload → a queued job) and ``GET /api/imports/{id}/``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.importing.formats import FORMATS, detect_format
from annotations.importing.jobs import import_job_create, import_job_state
from annotations.models import ImportJob, Project, Role, has_project_role, project_role

# The role as a plain string (without Django's stubs, mypy reads a TextChoices member as its tuple).
MANAGER = str(Role.MANAGER)

# Room for the multipart envelope and the small fields around the file.
_ENVELOPE_BYTES = 64 * 1024


class UploadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "upload_too_large"


def upload_limit_message() -> str:
    return f"The file is larger than the upload limit of {settings.IMPORT_UPLOAD_MAX_BYTES:,} bytes."


class ImportJobSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    annotator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.SerializerMethodField()
    articles_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "project",
            "status",
            "total",
            "processed",
            "created",
            "updated",
            "unchanged",
            "spans",
            "errors",
            "created_at",
            "finished_at",
            "file_name",
            "format",
            "annotator",
            "url",
            "articles_url",
        ]

    def get_url(self, job: ImportJob) -> str:
        return reverse("import-job", args=[job.pk])

    def get_articles_url(self, job: ImportJob) -> str:
        # The API's article list ("article-list" is also the name of the page at /).
        return f"/api/articles/?{urlencode({'project': job.project.slug})}"


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    format = serializers.ChoiceField(choices=FORMATS, default="auto")
    annotator = serializers.CharField(required=False, allow_blank=True, max_length=150)

    def validate(self, data):
        upload = data["file"]
        if upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
            raise UploadTooLarge(upload_limit_message())
        if data["format"] == "auto":
            head = upload.read(64)
            upload.seek(0)
            detected = detect_format(upload.name, head)
            if detected is None:
                choices = ", ".join(f for f in FORMATS if f != "auto")
                raise serializers.ValidationError(
                    {"format": [f"Cannot tell the format of {upload.name!r} from its name; choose one of {choices}."]}
                )
            data["format"] = detected
        name = data.get("annotator") or ""
        data["annotator"] = None
        if name:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=name).first()
            if user is None or project_role(user, self.context["project"]) is None:
                raise serializers.ValidationError({"annotator": [f"{name!r} is not a member of this project."]})
            data["annotator"] = user
        return data


def _managed_project(request, slug: str) -> Project:
    """The project for an upload: 404 for outsiders, 403 for members who do not manage it."""
    project = Project.objects.visible_to(request.user).filter(slug=slug).first()
    if project is None:
        raise Http404
    if not has_project_role(request.user, project, MANAGER):
        raise exceptions.PermissionDenied("Only the project's managers import articles.")
    return project


class ImportUploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Refuse an announced oversized body before reading any of it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.IMPORT_UPLOAD_MAX_BYTES + _ENVELOPE_BYTES:
            raise UploadTooLarge(upload_limit_message())

    @extend_schema(
        summary="Upload a file to import in the background",
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload",
                {
                    "file": serializers.FileField(),
                    "format": serializers.ChoiceField(choices=FORMATS, default="auto"),
                    "annotator": serializers.CharField(required=False),
                },
            )
        },
        responses={
            202: inline_serializer(
                "ImportQueued",
                {"id": serializers.IntegerField(), "status": serializers.CharField(), "url": serializers.CharField()},
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A missing file, unknown format or annotator."),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="The file is over IMPORT_UPLOAD_MAX_BYTES."),
        },
    )
    def post(self, request, slug: str):
        project = _managed_project(request, slug)
        serializer = ImportUploadSerializer(data=request.data, context={"project": project})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = import_job_create(
            project=project, user=request.user, upload=data["file"], format=data["format"], annotator=data["annotator"]
        )
        return Response(
            {"id": job.pk, "status": job.status, "url": reverse("import-job", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )


def visible_jobs(user):
    """Jobs of the projects the user manages, and the user's own uploads."""
    if user.is_staff or user.is_superuser:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(Q(project__in=Project.objects.managed_by(user)) | Q(created_by=user))


class ImportJobView(APIView):
    @extend_schema(summary="An import job: status, progress and errors by line", responses=ImportJobSerializer)
    def get(self, request, pk: int):
        job = visible_jobs(request.user).select_related("project", "annotator").filter(pk=pk).first()
        if job is None:
            raise Http404
        return Response(ImportJobSerializer(import_job_state(job)).data)
