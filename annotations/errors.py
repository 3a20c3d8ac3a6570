"""One error shape for every endpoint, and one way to say a validation error in words.

API answers: ``{"field": ["message"]}`` for validation, ``{"detail": "…"}`` otherwise. Services
raise Django's ``ValidationError`` (field errors as a dict); views let it through and
:func:`exception_handler` (settings ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) answers for it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.models import Annotation
from annotations.projects.services import LastManager
from annotations.serializers import AnnotationSerializer
from annotations.services import AnnotationGone, StaleVersion


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def etag(annotation: Annotation) -> str:
    return f'"{annotation.version}"'


def in_words(exc: DjangoValidationError) -> str:
    """A validation error as one line, for commands (``file:line: message``)."""
    if hasattr(exc, "error_dict"):
        parts = []
        for name, errors in exc.message_dict.items():
            for message in errors:
                if isinstance(message, str) and message.startswith(f"{name} "):
                    parts.append(message)  # already names the field
                else:
                    parts.append(f"{name}: {message}")
        return " ".join(parts)
    return " ".join(exc.messages)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler plus: Django validation errors (400), too-large bodies (413), stale versions (409),
    annotations deleted under the client (404), a project about to lose its last manager (409)."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    elif isinstance(exc, DjangoValidationError):
        if not hasattr(exc, "error_dict"):
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        exc = exceptions.ValidationError(exc.message_dict)
    elif isinstance(exc, StaleVersion):
        return _stale_response(exc, context)
    elif isinstance(exc, AnnotationGone):
        return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, LastManager):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


def _stale_response(exc: StaleVersion, context: dict) -> Response:
    # The client's copy is stale: send the current one so it can merge without another read.
    current = Annotation.all_objects.with_relations().filter(pk=getattr(exc.current, "pk", None)).first()
    data = {"detail": str(exc), "current": None}
    headers = {}
    if current is not None:
        data["current"] = AnnotationSerializer(current, context=context).data
        headers["ETag"] = etag(current)
    return Response(data, status=status.HTTP_409_CONFLICT, headers=headers)
