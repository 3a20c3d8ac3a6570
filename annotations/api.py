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

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
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
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from annotations import services
from annotations.errors import Conflict, etag
from annotations.filters import AnnotationFilter, ArticleFilter, SourceFilter, VocabularyFilter
from annotations.models import (
    SEED_PROJECT,
    Annotation,
    Article,
    Membership,
    Project,
    Role,
    Source,
)
from annotations.permissions import RegistryPermission
from annotations.projects import services as project_services
from annotations.projects.selectors import may_create_projects, require_project_role, visible_project_or_404
from annotations.serializers import (
    AnnotationInputSerializer,
    AnnotationListSerializer,
    AnnotationSerializer,
    ArticleListSerializer,
    ArticleSerializer,
    ClaimTypeInputSerializer,
    ClaimTypeSerializer,
    LabelInputSerializer,
    LabelSerializer,
    MemberInputSerializer,
    MemberSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
    SourceInputSerializer,
    SourceSerializer,
    SuggestionListSerializer,
    VerdictInputSerializer,
    VerdictSerializer,
)
from annotations.suggestions import selectors as suggestion_selectors
from annotations.text import LONE_SURROGATE

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
            raise exceptions.ParseError("JSON parse error - " + LONE_SURROGATE) from None
        return data


CONFLICT_DETAIL = OpenApiResponse(OpenApiTypes.OBJECT, description="It would leave the project without a manager.")


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


VOCABULARY_BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Per-field errors.")
PROJECT_PARAMETER = OpenApiParameter("project", str, description="Project slug (404 for a project you cannot see).")


class VocabularyViewSet(
    APIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The vocabularies of the projects the caller sees; their managers add and edit entries.

    An entry is addressed by id (``/api/labels/12/``); a slug (``/api/labels/claim/``) names
    the entry of ``?project=`` (default ``seed``), as in the first round.
    """

    serializer_class: type[serializers.ModelSerializer]
    input_serializer_class: type
    filterset_class = VocabularyFilter
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def model(self) -> type:
        """The vocabulary model, as the output serializer names it."""
        return self.serializer_class.Meta.model

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user)
        return (
            self.model.objects.filter(project__in=projects)
            .select_related("project")
            .order_by("project__slug", "order", "slug")
        )

    def get_object(self):
        lookup = str(self.kwargs["pk"])
        rows = self.get_queryset()
        if lookup.isdecimal():
            entry = rows.filter(pk=int(lookup)).first() if len(lookup) < 19 else None
        else:
            project = self.request.query_params.get("project") or SEED_PROJECT
            entry = rows.filter(project__slug=project, slug=lookup).first()
        if entry is None:
            raise Http404("No such entry among the projects you can see.")
        return entry

    def create(self, request, *args, **kwargs):
        incoming = self.input_serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        project = Project.objects.visible_to(request.user).filter(slug=values.pop("project")).first()
        if project is None:
            raise exceptions.ValidationError({"project": ["Unknown project."]})
        require_project_role(request.user, project, Role.MANAGER)
        entry = project_services.vocabulary_create(model=self.model, project=project, values=values)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        require_project_role(request.user, entry.project, Role.MANAGER)
        incoming = self.input_serializer_class(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        if "project" in changes:
            raise exceptions.ValidationError({"project": ["An entry cannot move to another project."]})
        entry = project_services.vocabulary_update(entry=entry, changes=changes)
        return Response(self.get_serializer(entry).data)


def _vocabulary_schema(kind: str, serializer, input_serializer):
    return extend_schema_view(
        list=extend_schema(summary=f"List {kind}s of the projects you see", parameters=[PROJECT_PARAMETER]),
        retrieve=extend_schema(summary=f"One {kind}, by id (or by slug within ?project=, default seed)"),
        create=extend_schema(
            summary=f"Add a {kind} to a project (its managers)",
            request=input_serializer,
            responses={201: serializer, 400: VOCABULARY_BAD_REQUEST},
        ),
        partial_update=extend_schema(
            summary=f"Rename, reorder or retire a {kind} (its project's managers)",
            request=input_serializer,
            responses={200: serializer, 400: VOCABULARY_BAD_REQUEST},
        ),
    )


@_vocabulary_schema("label", LabelSerializer, LabelInputSerializer)
class LabelViewSet(VocabularyViewSet):
    input_serializer_class = LabelInputSerializer
    serializer_class = LabelSerializer


@_vocabulary_schema("claim type", ClaimTypeSerializer, ClaimTypeInputSerializer)
class ClaimTypeViewSet(VocabularyViewSet):
    input_serializer_class = ClaimTypeInputSerializer
    serializer_class = ClaimTypeSerializer


@_vocabulary_schema("verdict", VerdictSerializer, VerdictInputSerializer)
class VerdictViewSet(VocabularyViewSet):
    input_serializer_class = VerdictInputSerializer
    serializer_class = VerdictSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List articles of the projects you see",
        description="Without the text; filter by `project`, `language` and `q`.",
    ),
    retrieve=extend_schema(summary="One article, with its text and metadata"),
)
class ArticleViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = ArticleFilter

    def get_queryset(self):
        articles = Article.objects.visible_to(self.request.user).select_related("project")
        if self.action == "list":
            columns = [name for name in ArticleListSerializer.Meta.fields if name != "project"]
            return articles.only(*columns, "project__slug")
        return articles

    def get_serializer_class(self):
        return ArticleListSerializer if self.action == "list" else ArticleSerializer

    @extend_schema(
        summary="Suggested attributions and claims in an article",
        description="Computed offline for id, fr, ar and en; minus your dismissals and what you already marked "
        "with the same label. In reading order; `score` ranks them.",
        responses={200: SuggestionListSerializer},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def suggestions(self, request, pk=None):
        article = self.get_object()
        return Response({"suggestions": suggestion_selectors.suggestions_for(article=article, user=request.user)})

    @extend_schema(
        summary="Hide a suggestion for you",
        request=None,
        responses={204: None, 404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such suggestion.")},
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"suggestions/(?P<sid>[0-9a-f]{1,64})/dismiss",
        url_name="suggestion-dismiss",
    )
    def dismiss_suggestion(self, request, pk=None, sid=None):
        article = self.get_object()
        if sid not in {s.id for s in suggestion_selectors.article_suggestions_all(article)}:
            raise Http404("No such suggestion on this article.")
        services.suggestion_dismiss(user=request.user, article=article, suggestion_id=sid)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- projects

PROJECT_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such project among those you can see.")


@extend_schema_view(
    list=extend_schema(summary="List the projects you belong to (staff and the reviewer group: all)"),
    retrieve=extend_schema(summary="One project", responses={200: ProjectSerializer, 404: PROJECT_NOT_FOUND}),
    create=extend_schema(
        summary="Start a project (staff and managers); it gets a copy of the default vocabulary",
        request=ProjectInputSerializer,
        responses={201: ProjectSerializer, 400: VOCABULARY_BAD_REQUEST},
    ),
    partial_update=extend_schema(
        summary="Change a project's name, description, guidelines, languages or settings (its managers)",
        request=ProjectInputSerializer,
        responses={200: ProjectSerializer, 400: VOCABULARY_BAD_REQUEST, 404: PROJECT_NOT_FOUND},
    ),
)
class ProjectViewSet(
    APIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).order_by("name", "slug")

    def get_object(self) -> Project:
        return visible_project_or_404(self.request.user, self.kwargs["slug"])

    def create(self, request, *args, **kwargs):
        if not may_create_projects(request.user):
            raise exceptions.PermissionDenied("Only staff and project managers may start a project.")
        incoming = ProjectInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        project = project_services.project_create(**incoming.validated_data, creator=request.user)
        response = Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("project-detail", kwargs={"slug": project.slug})
        return response

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        require_project_role(request.user, project, Role.MANAGER)
        incoming = ProjectInputSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        if "slug" in changes and changes.pop("slug") != project.slug:
            raise exceptions.ValidationError({"slug": ["A project's slug is permanent: its URLs use it."]})
        project = project_services.project_update(project=project, changes=changes)
        return Response(self.get_serializer(project).data)


def _user_named(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise exceptions.ValidationError({"username": [f"Unknown user {username!r}."]})
    return user


class ProjectMembersView(APIMixin, generics.GenericAPIView):
    """``GET`` a project's members (any member); ``POST {"username", "role"}`` adds one or
    changes their role (managers; idempotent)."""

    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # for the schema; rows are read per project below

    def _project(self) -> Project:
        return visible_project_or_404(self.request.user, self.kwargs["slug"])

    @extend_schema(summary="List a project's members", responses={200: MemberSerializer(many=True)})
    def get(self, request, slug: str):
        project = self._project()
        members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
        page = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a member or change their role (the project's managers)",
        request=MemberInputSerializer,
        responses={200: MemberSerializer, 201: MemberSerializer, 400: VOCABULARY_BAD_REQUEST, 409: CONFLICT_DETAIL},
    )
    def post(self, request, slug: str):
        project = self._project()
        require_project_role(request.user, project, Role.MANAGER)
        incoming = MemberInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = _user_named(incoming.validated_data["username"])
        membership, outcome = project_services.membership_set(
            project=project, user=user, role=incoming.validated_data["role"]
        )
        code = status.HTTP_201_CREATED if outcome == project_services.ADDED else status.HTTP_200_OK
        return Response(MemberSerializer(membership).data, status=code)


class ProjectMemberView(APIMixin, generics.GenericAPIView):
    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # for the schema

    @extend_schema(
        summary="Remove a member (the project's managers); their spans stay",
        responses={204: None, 404: PROJECT_NOT_FOUND, 409: CONFLICT_DETAIL},
    )
    def delete(self, request, slug: str, username: str):
        project = visible_project_or_404(request.user, slug)
        require_project_role(request.user, project, Role.MANAGER)
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not project_services.membership_remove(project=project, user=user):
            raise Http404(f"{username} is not a member of {project.slug}.")
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- sources

SOURCE_BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Per-field errors.")


def _source_write_schema(summary: str, *, status: int):
    return extend_schema(
        summary=summary, request=SourceInputSerializer, responses={status: SourceSerializer, 400: SOURCE_BAD_REQUEST}
    )


@extend_schema_view(
    list=extend_schema(summary="List or search the source registry"),
    retrieve=extend_schema(summary="One source, by slug"),
    create=_source_write_schema("Add a source (any signed-in user)", status=201),
    update=_source_write_schema("Replace a source (staff)", status=200),
    partial_update=_source_write_schema("Edit a source (staff)", status=200),
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
        incoming = SourceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        staff = request.user.is_staff or request.user.is_superuser
        if values.get("confirmed") and not staff:
            raise exceptions.ValidationError({"confirmed": ["Only staff can confirm a source."]})
        # Staff vouch for what they add; an annotator's source waits for them.
        values.setdefault("confirmed", staff)
        source = services.source_create(**values, created_by=request.user)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        source = self.get_object()
        incoming = SourceInputSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        # PUT replaces: what the client left out goes back to its default.
        changes = incoming.validated_data if partial else {**services.SOURCE_DEFAULTS, **incoming.validated_data}
        source = services.source_update(source=source, changes=changes)
        return Response(SourceSerializer(source).data)

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
