"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from annotations.models import is_reviewer


def roles(request: HttpRequest) -> dict:
    # Lazy: the group lookup runs only on pages whose template asks for it.
    return {"user_is_reviewer": SimpleLazyObject(lambda: is_reviewer(request.user))}
