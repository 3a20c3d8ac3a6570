"""``GET /api/export/``: the export over HTTP, streamed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.export.options import CONTENT_TYPE, FORMATS, LAYERS, parse_export_options
from annotations.export.stream import export_chunks
from annotations.projects.selectors import visible_project_or_404


class _FormatIsNotARenderer(DefaultContentNegotiation):
    """``?format=`` names the export format here, not a DRF renderer (which would 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class ExportView(APIView):
    """``GET /api/export/``: the corpus as JSON Lines, streamed; the caller's visible spans."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FormatIsNotARenderer

    @extend_schema(
        operation_id="export_corpus",
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), description="Record format (default jsonl)."),
            OpenApiParameter("project", str, description="Only this project (slug); 404 for one you cannot see."),
            OpenApiParameter("language", str, description="Only articles in this language (BCP 47)."),
            OpenApiParameter("annotator", str, description="Only this annotator's spans (username)."),
            OpenApiParameter("label", str, description="Only spans with this label (slug)."),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only spans updated at or after this."),
            OpenApiParameter("article", str, description="Only these article ids, comma-separated."),
            OpenApiParameter("anonymize", OpenApiTypes.BOOL, description="Stable pseudonyms instead of usernames."),
            OpenApiParameter("include_empty", OpenApiTypes.BOOL, description="Articles without spans (default 1)."),
            OpenApiParameter("layer", str, enum=list(LAYERS), description="annotations (default), gold or all."),
            OpenApiParameter("metadata", OpenApiTypes.BOOL, description="jsonl: add each article's metadata object."),
            OpenApiParameter("claim", str, description="Claim formats: only these claim ids, comma-separated."),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="One JSON object a line."),
            400: OpenApiResponse(description="A message per bad parameter."),
        },
    )
    def get(self, request):
        try:
            options = parse_export_options(request.query_params, viewer=request.user)
        except ValidationError as exc:
            return Response(exc.message_dict, status=400)
        if options.project is not None:
            visible_project_or_404(request.user, options.project)
        response = StreamingHttpResponse(export_chunks(options, user=request.user), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{options.filename}"'
        return response


export_view = ExportView.as_view()
