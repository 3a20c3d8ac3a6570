"""``/api/claims/`` and ``/api/annotations/{id}/claim-matches/``.

Thin views: an input serializer checks types, ``annotations.claims.services`` decides
who may do what and writes, ``ClaimSerializer`` renders. Which claims a request may
see is ``Claim.objects.visible_to`` (a non-member gets 404). Like spans, a claim
carries ``version`` (also sent as ``ETag``); PATCH, DELETE, merge and split take the
version they edited in the body or ``If-Match``, and a stale one answers 409 with the
current claim.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import APIMixin, StrictJSONParser, expected_version
from annotations.claims import selectors, services
from annotations.claims.models import Claim
from annotations.claims.serializers import (
    AppearanceInputSerializer,
    ClaimInputSerializer,
    ClaimSerializer,
    MatchesSerializer,
    MergeInputSerializer,
    SplitInputSerializer,
    VersionInputSerializer,
)
from annotations.filters import MAX_QUERY_LENGTH, IdFilter, ProjectFilter
from annotations.models import Annotation, Project

BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description='Per-field errors, e.g. `{"review_url": ["..."]}`.')
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Your role in the project does not allow this.")
CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Stale version: nothing changed; `current` is the claim as it is now."
)


class ClaimFilter(filters.FilterSet):
    project = ProjectFilter("project")
    status = filters.ChoiceFilter(choices=Claim.Status.choices)
    verdict = filters.CharFilter(field_name="verdict__slug", max_length=50, help_text="Verdict slug, e.g. false.")
    language = filters.CharFilter(field_name="language", lookup_expr="iexact", max_length=35)
    q = filters.CharFilter(
        method="search", max_length=MAX_QUERY_LENGTH, help_text="Words in the statement or claimant."
    )

    annotation = IdFilter(field_name="appearances__annotation_id", help_text="The claim this span (id) makes.")

    class Meta:
        model = Claim
        fields = ["project", "status", "verdict", "language", "q", "annotation"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(statement__icontains=value) | Q(claimant__icontains=value))


def _etag(claim: Claim) -> str:
    return f'"{claim.version}"'


@extend_schema_view(
    list=extend_schema(summary="List the claims of your projects"),
    retrieve=extend_schema(summary="One claim"),
    create=extend_schema(
        summary="Make a claim from a span of yours (reviewers: also from a statement alone)",
        request=ClaimInputSerializer,
        responses={201: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Edit a claim (verdict, explanation, status, review URL: reviewers and managers)",
        request=ClaimInputSerializer,
        responses={200: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Delete a claim (its spans stay)", responses={204: None, 403: FORBIDDEN, 409: CONFLICT}
    ),
)
class ClaimViewSet(
    APIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).with_relations()

    def _render(self, claim: Claim, code: int = status.HTTP_200_OK) -> Response:
        claim = Claim.objects.with_relations().get(pk=claim.pk)
        return Response(ClaimSerializer(claim).data, status=code, headers={"ETag": _etag(claim)})

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.get_object())

    def _stale(self, exc: services.StaleClaim) -> Response:
        current = Claim.objects.with_relations().get(pk=exc.current.pk)
        return Response(
            {"detail": str(exc), "current": ClaimSerializer(current).data},
            status=status.HTTP_409_CONFLICT,
            headers={"ETag": _etag(current)},
        )

    def create(self, request, *args, **kwargs):
        incoming = ClaimInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        if "version" in values:
            raise exceptions.ValidationError({"version": ["A new claim has no version yet; leave it out."]})
        project = None
        if "project" in values:
            project = Project.objects.visible_to(request.user).filter(slug=values.pop("project")).first()
            if project is None:
                raise exceptions.ValidationError({"project": ["Unknown project."]})
        evidence = [dict(item) for item in values.pop("evidence", [])]
        claim = services.claim_create(user=request.user, project=project, evidence=evidence, **values)
        response = self._render(claim, status.HTTP_201_CREATED)
        response["Location"] = reverse("claim-detail", kwargs={"pk": claim.pk})
        return response

    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        incoming = ClaimInputSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        moving = sorted({"project", "annotation"} & set(values))
        if moving:
            raise exceptions.ValidationError(
                {field: ["Set on creation only; use the appearances endpoints for spans."] for field in moving}
            )
        version = expected_version(request, values.pop("version", None))
        evidence = values.pop("evidence", None)
        try:
            updated = services.claim_update(
                user=request.user,
                claim=claim,
                expected_version=version,
                changes=values,
                evidence=[dict(item) for item in evidence] if evidence is not None else None,
            )
        except services.StaleClaim as exc:
            return self._stale(exc)
        return self._render(updated)

    def destroy(self, request, *args, **kwargs):
        claim = self.get_object()
        incoming = VersionInputSerializer(data=request.data if request.data else {})
        incoming.is_valid(raise_exception=True)
        try:
            services.claim_delete(
                user=request.user,
                claim=claim,
                expected_version=expected_version(request, incoming.validated_data.get("version")),
            )
        except services.StaleClaim as exc:
            return self._stale(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Add a span to the claim's appearances",
        request=AppearanceInputSerializer,
        responses={200: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], url_path="appearances")
    def add_appearance(self, request, *args, **kwargs):
        claim = self.get_object()
        incoming = AppearanceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.claim_attach(user=request.user, claim=claim, annotation=incoming.validated_data["annotation"])
        return self._render(claim)

    @extend_schema(
        summary="Take a span out of the claim's appearances",
        request=None,
        responses={200: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["delete"], url_path=r"appearances/(?P<annotation_id>[0-9]{1,18})")
    def remove_appearance(self, request, *args, annotation_id: str, **kwargs):
        claim = self.get_object()
        services.claim_detach(user=request.user, claim=claim, annotation=int(annotation_id))
        return self._render(claim)

    @extend_schema(
        summary="Fold another claim into this one (reviewers and managers)",
        request=MergeInputSerializer,
        responses={200: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        claim = self.get_object()
        incoming = MergeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        version = expected_version(request, incoming.validated_data.get("version"))
        try:
            merged = services.claim_merge(
                user=request.user, claim=claim, other=incoming.validated_data["other"], expected_version=version
            )
        except services.StaleClaim as exc:
            return self._stale(exc)
        return self._render(merged)

    @extend_schema(
        summary="Move some appearances to a new claim (reviewers and managers); answers with the new claim",
        request=SplitInputSerializer,
        responses={201: ClaimSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        claim = self.get_object()
        incoming = SplitInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        try:
            new = services.claim_split(
                user=request.user,
                claim=claim,
                annotations=values["annotations"],
                statement=values.get("statement"),
                expected_version=expected_version(request, values.get("version")),
            )
        except services.StaleClaim as exc:
            return self._stale(exc)
        return self._render(new, status.HTTP_201_CREATED)


class ClaimMatchesView(APIView):
    parser_classes = [StrictJSONParser]

    @extend_schema(
        summary="The project's claims this span most likely makes, best first, with reasons",
        responses={200: MatchesSerializer, 404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such span.")},
    )
    def get(self, request, pk: int):
        annotation = get_object_or_404(Annotation.objects.visible_to(request.user).select_related("article"), pk=pk)
        return Response({"matches": selectors.claim_matches(annotation=annotation)})
