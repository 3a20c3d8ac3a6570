"""``/api/relations/``: list (filter ``article``), create and delete span relations.

Reading follows ``Relation.objects.visible_to`` (whoever reads the spans reads their
relations); writing is decided by ``annotations.services.relations.can_write_layer``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import F
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from annotations import services
from annotations.api import APIMixin
from annotations.filters import IdFilter
from annotations.models import Annotation, Relation
from annotations.serializers import MAX_DB_INT, StrictCharField, StrictIntegerField, StrictSerializer


class RelationSerializer(serializers.ModelSerializer):
    # "from" is a Python keyword: the fields are declared under other names and renamed.
    from_ = serializers.IntegerField(source="from_annotation_id", read_only=True)
    to = serializers.IntegerField(source="to_annotation_id", read_only=True)
    article = serializers.IntegerField(read_only=True, help_text="The article both spans are in.")

    class Meta:
        model = Relation
        fields = ["id", "from_", "to", "type", "article", "created_at"]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return {name: fields[name] for name in ["id", "from", "to", "type", "article", "created_at"]}


class RelationInputSerializer(StrictSerializer):
    ignored_fields = frozenset({"id", "article", "created_at"})

    to = StrictIntegerField(min_value=1, max_value=MAX_DB_INT, help_text="Id of the span it points to (the claim).")
    type = StrictCharField(max_length=20, required=False, default=Relation.Type.ATTRIBUTION)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = StrictIntegerField(
            min_value=1, max_value=MAX_DB_INT, help_text="Id of the span it starts from (the attribution)."
        )
        return fields


class RelationFilter(filters.FilterSet):
    article = IdFilter(field_name="from_annotation__article_id", help_text="Article id.")

    class Meta:
        model = Relation
        fields = ["article"]


@extend_schema_view(
    list=extend_schema(summary="List span relations", description="Relations between spans you may read."),
    create=extend_schema(
        summary="Link two spans",
        description="Both spans in one article and one layer; you must own the layer (reviewers: gold). "
        "The same link again answers 200 with the existing relation.",
        request=RelationInputSerializer,
        responses={
            201: RelationSerializer,
            200: RelationSerializer,
            400: OpenApiResponse(description="Per-field errors."),
            403: OpenApiResponse(description="Not your layer."),
        },
    ),
    retrieve=extend_schema(summary="One relation"),
    destroy=extend_schema(summary="Unlink two spans", responses={204: None, 403: None, 404: None}),
)
class RelationViewSet(
    APIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RelationSerializer
    filterset_class = RelationFilter

    def get_queryset(self):
        return (
            Relation.objects.live()
            .visible_to(self.request.user)
            .annotate(article=F("from_annotation__article_id"))
            .order_by("id")
        )

    def _span(self, field: str, pk: int) -> Annotation:
        span = Annotation.objects.visible_to(self.request.user).filter(pk=pk).first()
        if span is None:
            raise exceptions.ValidationError({field: [f"No annotation {pk} that you can read."]})
        return span

    def create(self, request, *args, **kwargs):
        incoming = RelationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        try:
            relation, created = services.relation_create(
                user=request.user,
                from_annotation=self._span("from", values["from"]),
                to_annotation=self._span("to", values["to"]),
                relation_type=values["type"],
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        data = RelationSerializer(self.get_queryset().get(pk=relation.pk)).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_destroy(self, instance: Relation) -> None:
        try:
            services.relation_delete(user=self.request.user, relation=instance)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
