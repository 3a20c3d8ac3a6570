"""The REST API under /api/: articles, annotations (spans), sources and the vocabulary.

Views are thin: an input serializer checks types, ``annotations.services`` validates
and writes, an output serializer renders. Whose annotations a request reads or
changes is decided once, in ``AnnotationViewSet.get_queryset`` through
``Annotation.objects.visible_to`` / ``owned_by``.

Concurrency: every annotation carries ``version``. Responses for one annotation send
``ETag: "<version>"``; PATCH, PUT and DELETE accept the version they edited either in
the body (``"version": 3``) or as ``If-Match: "3"``. A stale version answers 409 with
the current annotation and changes nothing.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations import services
from annotations.filters import AnnotationFilter, ArticleFilter, SourceFilter
from annotations.models import Annotation, Article, ClaimType, Label, Source, Verdict
from annotations.permissions import RegistryPermission
from annotations.serializers import (
    AnnotationInputSerializer,
    AnnotationListSerializer,
    AnnotationSerializer,
    ArticleListSerializer,
    ArticleSerializer,
    ClaimTypeSerializer,
    LabelSerializer,
    SourceInputSerializer,
    SourceSerializer,
    VerdictSerializer,
)

# ---------------------------------------------------------------- plumbing


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page_size=`` up to 1,000."""

    page_size_query_param = "page_size"
    max_page_size = 1000


class StrictJSONParser(JSONParser):
    """JSON that can be stored: no nesting deep enough to exhaust the parser, no lone surrogates."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            # "\ud800" is valid JSON but not valid UTF-8: neither database can store it.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply.") from None
        except UnicodeEncodeError:
            raise exceptions.ParseError(
                "JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff), which is not text."
            ) from None
        return data


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A Django ValidationError from a service or ``full_clean`` as DRF's per-field 400."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def etag(annotation: Annotation) -> str:
    return f'"{annotation.version}"'


def api_exception_handler(exc, context):
    """DRF's handler plus: Django validation errors (400), too-large bodies (413), stale versions (409),
    annotations deleted under the client (404)."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, services.StaleVersion):
        return _stale_response(exc, context)
    elif isinstance(exc, services.AnnotationGone):
        return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)


def _stale_response(exc: services.StaleVersion, context) -> Response:
    current = Annotation.all_objects.with_relations().filter(pk=getattr(exc.current, "pk", None)).first()
    data = {"detail": str(exc), "current": None}
    headers = {}
    if current is not None:
        data["current"] = AnnotationSerializer(current, context=context).data
        headers["ETag"] = etag(current)
    return Response(data, status=status.HTTP_409_CONFLICT, headers=headers)


class APIMixin:
    parser_classes = [StrictJSONParser]
    pagination_class = Pagination


# ---------------------------------------------------------------- auth


@extend_schema(
    summary="Get an API token",
    description="Exchange a username and password for the user's token; send it as `Authorization: Token <key>`.",
    request=inline_serializer(
        "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong credentials or missing fields."),
        429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many failed attempts; see Retry-After."),
    },
    auth=[],
)
class TokenView(ObtainAuthToken):
    parser_classes = [StrictJSONParser, *ObtainAuthToken.parser_classes[:-1]]


# ---------------------------------------------------------------- vocabulary and articles


@extend_schema_view(list=extend_schema(summary="List labels"), retrieve=extend_schema(summary="One label, by slug"))
class LabelViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Label.objects.all()
    serializer_class = LabelSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends: list = []


@extend_schema_view(
    list=extend_schema(summary="List claim types"), retrieve=extend_schema(summary="One claim type, by slug")
)
class ClaimTypeViewSet(LabelViewSet):
    queryset = ClaimType.objects.all()
    serializer_class = ClaimTypeSerializer


@extend_schema_view(list=extend_schema(summary="List verdicts"), retrieve=extend_schema(summary="One verdict, by slug"))
class VerdictViewSet(LabelViewSet):
    queryset = Verdict.objects.all()
    serializer_class = VerdictSerializer


@extend_schema_view(
    list=extend_schema(summary="List articles", description="Without the text; filter by `language` and `q`."),
    retrieve=extend_schema(summary="One article, with its text and metadata"),
)
class ArticleViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = ArticleFilter

    def get_queryset(self):
        if self.action == "list":
            return Article.objects.only(*ArticleListSerializer.Meta.fields)
        return Article.objects.all()

    def get_serializer_class(self):
        return ArticleListSerializer if self.action == "list" else ArticleSerializer


# ---------------------------------------------------------------- sources

SOURCE_BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Per-field errors.")


@extend_schema_view(
    list=extend_schema(summary="List or search the source registry"),
    retrieve=extend_schema(summary="One source, by slug"),
    create=extend_schema(
        summary="Add a source (any signed-in user)",
        request=SourceInputSerializer,
        responses={201: SourceSerializer, 400: SOURCE_BAD_REQUEST},
    ),
    update=extend_schema(
        summary="Replace a source (staff)",
        request=SourceInputSerializer,
        responses={200: SourceSerializer, 400: SOURCE_BAD_REQUEST},
    ),
    partial_update=extend_schema(
        summary="Edit a source (staff)",
        request=SourceInputSerializer,
        responses={200: SourceSerializer, 400: SOURCE_BAD_REQUEST},
    ),
    destroy=extend_schema(
        summary="Delete a source (staff)",
        responses={
            204: None,
            409: OpenApiResponse(OpenApiTypes.OBJECT, description="Annotations still link to it."),
        },
    ),
)
class SourceViewSet(APIMixin, viewsets.ModelViewSet):
    queryset = Source.objects.select_related("created_by")
    serializer_class = SourceSerializer
    permission_classes = [RegistryPermission]
    filterset_class = SourceFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def create(self, request, *args, **kwargs):
        source = self._save(Source(created_by=request.user), partial=False)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        source = self._save(self.get_object(), partial=kwargs.get("partial", False))
        return Response(SourceSerializer(source).data)

    def _save(self, source: Source, *, partial: bool) -> Source:
        data = self.request.data
        incoming = SourceInputSerializer(data=data, partial=partial)
        incoming.is_valid(raise_exception=True)
        # PUT replaces: what the client left out goes back to its default.
        defaults = {} if partial else {"kind": Source.Kind.OTHER, "aliases": [], "homepage": ""}
        values = {**defaults, **incoming.validated_data}
        for field in ("name", "kind", "aliases"):
            if field in values:
                setattr(source, field, values[field])
        if "homepage" in values:
            source.homepage = values["homepage"] or ""
        if "slug" in values:
            source.slug = values["slug"]
        elif not source.slug:
            source.slug = slugify(source.name)[:80].strip("-")
            if not source.slug:
                raise exceptions.ValidationError(
                    {"slug": ["Could not make a slug from this name; send one (letters, digits, hyphens)."]}
                )
        source.aliases = [alias.strip() for alias in source.aliases]
        try:
            source.full_clean()
            with transaction.atomic():
                source.save()
        except DjangoValidationError as exc:
            raise validation_error(exc) from None
        except IntegrityError:
            # Two clients created the same slug at once; the loser hears what full_clean says.
            raise exceptions.ValidationError({"slug": ["A source with this slug already exists."]}) from None
        return source

    def perform_destroy(self, instance: Source) -> None:
        try:
            instance.delete()
        except ProtectedError:
            count = instance.links.count()
            raise Conflict(
                f"{count} source link(s) still point to {instance.slug!r}; remove them before deleting it."
            ) from None


# ---------------------------------------------------------------- annotations

_ETAG = re.compile(r'^(?:W/)?"(\d{1,19})"$|^(\d{1,19})$')

VERSION_PARAMETERS = [
    OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description='The ETag you read, e.g. `"3"`; same effect as `version` in the body. Stale: 409.',
    ),
]
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The annotation\'s version as an entity tag, e.g. `"3"`; send it back in If-Match.',
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Per-field errors, e.g. `{"end": ["end 900 is past the end of the text (812 code points)."]}`.',
)
CONFLICT = OpenApiResponse(
    inline_serializer(
        "StaleVersion", {"detail": serializers.CharField(), "current": AnnotationSerializer(allow_null=True)}
    ),
    description="The version you sent is stale: nothing changed; `current` is the annotation as it is now.",
)
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such annotation among those you may see.")
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may read this annotation but not change it.")


@extend_schema_view(
    list=extend_schema(
        summary="List annotations you may read (yours; a reviewer's or staff's: everyone's)",
        description=(
            "Live annotations, ordered by article, start, end and id. With `?deleted=1`: the deleted "
            "annotations you may restore instead (yours; staff: everyone's), the most recently deleted "
            "first, each with `deleted_at`; restore one with `POST /api/annotations/{id}/restore/`."
        ),
    ),
    retrieve=extend_schema(summary="One annotation", parameters=[ETAG_HEADER], responses={200: AnnotationSerializer}),
    create=extend_schema(
        summary="Create an annotation (a span)",
        request=AnnotationInputSerializer,
        parameters=[ETAG_HEADER],
        responses={201: AnnotationSerializer, 400: BAD_REQUEST},
        examples=[
            OpenApiExample(
                "A claim attributed to Reuters",
                request_only=True,
                value={
                    "article": 1,
                    "start": 0,
                    "end": 13,
                    "text": "Selon Reuters",
                    "label": "claim",
                    "claim_type": "event",
                    "checkworthy": True,
                    "source_links": [{"source": "reuters", "url": None, "relation": "attributed"}],
                },
            )
        ],
    ),
    update=extend_schema(
        summary="Replace an annotation (fields left out get their defaults)",
        request=AnnotationInputSerializer,
        parameters=[*VERSION_PARAMETERS, ETAG_HEADER],
        responses={200: AnnotationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Change some fields of an annotation",
        request=AnnotationInputSerializer,
        parameters=[*VERSION_PARAMETERS, ETAG_HEADER],
        responses={200: AnnotationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Delete an annotation (restorable)",
        request=inline_serializer("DeleteRequest", {"version": serializers.IntegerField(required=False)}),
        parameters=VERSION_PARAMETERS,
        responses={204: None, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    ),
    restore=extend_schema(
        summary="Undo a delete (owner or staff)",
        description="Answers with the restored annotation (a live one is left as it is).",
        request=None,
        parameters=[ETAG_HEADER],
        responses={200: AnnotationSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class AnnotationViewSet(
    APIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter

    def _rows(self):
        return Annotation.all_objects if self.action == "restore" else Annotation.objects

    def _readable(self):
        return self._rows().visible_to(self.request.user)

    def _listing_deleted(self) -> bool:
        # AnnotationFilter validates the value (400 naming `deleted`); only "1" switches.
        return self.action == "list" and self.request.query_params.get("deleted") == "1"

    def get_queryset(self):
        if self._listing_deleted():
            # Deleted spans are listed to be restored: those you may change, not all you may
            # read (a reviewer sees their own), the latest deletion first.
            deleted = Annotation.all_objects.filter(deleted_at__isnull=False).owned_by(self.request.user)
            return deleted.with_relations().order_by("-deleted_at", "-id")
        if self.request.method not in SAFE_METHODS:
            # A write loads the row only to find it among yours (owned_by is within visible_to):
            # the service re-reads it under lock and _respond renders the result.
            return self._rows().owned_by(self.request.user)
        return self._readable().with_relations()

    def get_serializer_class(self):
        return AnnotationListSerializer if self.action == "list" else AnnotationSerializer

    def get_object(self) -> Annotation:
        try:
            return super().get_object()
        except Http404:
            # A reviewer may read someone else's span: say "not yours" rather than "not there".
            pk = str(self.kwargs["pk"])
            writing = self.request.method not in SAFE_METHODS
            if writing and pk.isdecimal() and self._readable().filter(pk=pk).exists():
                raise exceptions.PermissionDenied("You can only change your own annotations.") from None
            raise

    def _render(self, annotation: Annotation, code: int = status.HTTP_200_OK) -> Response:
        data = AnnotationSerializer(annotation, context=self.get_serializer_context()).data
        return Response(data, status=code, headers={"ETag": etag(annotation)})

    def _respond(self, annotation: Annotation, code: int = status.HTTP_200_OK) -> Response:
        """Render an annotation a service wrote, re-read with its relations."""
        return self._render(Annotation.all_objects.with_relations().get(pk=annotation.pk), code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.get_object())

    def create(self, request, *args, **kwargs):
        incoming = AnnotationInputSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        if "version" in values:
            raise exceptions.ValidationError({"version": ["A new annotation has no version yet; leave it out."]})
        annotation = services.annotation_create(
            article=values["article"],
            annotator=request.user,
            start=values["start"],
            end=values["end"],
            label=values["label"],
            text=values.get("text"),
            claim_type=values.get("claim_type"),
            checkworthy=values.get("checkworthy"),
            verdict=values.get("verdict"),
            note=values.get("note"),
            source_links=[dict(link) for link in values.get("source_links", [])],
        )
        response = self._respond(annotation, status.HTTP_201_CREATED)
        response["Location"] = reverse("annotation-detail", kwargs={"pk": annotation.pk})
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        annotation = self.get_object()
        incoming = AnnotationInputSerializer(data=request.data, partial=partial, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        expected = self._expected_version(values.pop("version", None))
        article = values.pop("article", None)
        if article is not None and article.pk != annotation.article_id:
            raise exceptions.ValidationError({"article": ["An annotation cannot move to another article."]})
        links = values.pop("source_links", None)
        if values.get("text") is None:
            values.pop("text", None)
        if not partial:
            # PUT replaces: what the client left out goes back to its default.
            for field, default in (("claim_type", None), ("checkworthy", None), ("verdict", None), ("note", "")):
                values.setdefault(field, default)
            links = links or []
        updated = services.annotation_update(
            annotation=annotation,
            expected_version=expected,
            changes=values,
            links=[dict(link) for link in links] if links is not None else None,
        )
        return self._respond(updated)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        annotation = self.get_object()
        body = request.data
        if not isinstance(body, dict):
            raise exceptions.ValidationError({"non_field_errors": ['Send an object such as {"version": 3}.']})
        incoming = AnnotationInputSerializer(data=body, partial=True, context={"request": request})
        incoming.is_valid(raise_exception=True)
        other = sorted(set(incoming.validated_data) - {"version"})
        if other:
            raise exceptions.ValidationError({field: ["DELETE takes only version."] for field in other})
        expected = self._expected_version(incoming.validated_data.get("version"))
        services.annotation_delete(annotation=annotation, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        annotation = self.get_object()
        return self._respond(services.annotation_restore(annotation=annotation))

    def _expected_version(self, body_version: int | None) -> int | None:
        return expected_version(self.request, body_version)


def expected_version(request, body_version: int | None) -> int | None:
    """The version the client edited: from the body or If-Match; None writes unconditionally."""
    header = request.headers.get("If-Match")
    header_version = None
    if header is not None and header.strip() != "*":
        match = _ETAG.match(header.strip())
        if match is None:
            raise exceptions.ValidationError(
                {"If-Match": ['Send the ETag you read, e.g. If-Match: "3" (or "*" for any version).']}
            )
        header_version = int(match.group(1) or match.group(2))
    if body_version is not None and header_version is not None and body_version != header_version:
        raise exceptions.ValidationError({"version": ["version and If-Match name different versions."]})
    return body_version if body_version is not None else header_version


# ---------------------------------------------------------------- documentation page


_swagger_init_script = SpectacularSwaggerSplitView.as_view(url_name="api-schema")


@login_required
def api_docs(request):
    """Swagger UI from the vendored drf-spectacular-sidecar build: no CDN, no inline script or style."""
    if "script" in request.GET:
        return _swagger_init_script(request)
    html = format_html(
        """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fact-check workbench API</title>
<link rel="icon" href="{favicon}">
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script src="{init}"></script>
</body>
</html>
""",
        favicon=static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png"),
        css=static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"),
        bundle=static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        preset=static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js"),
        init=reverse("api-docs") + "?script=",
    )
    return HttpResponse(html)
