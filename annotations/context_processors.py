"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from annotations.models import reviews_somewhere


def roles(request: HttpRequest) -> dict:
    # Lazy: the group and membership lookups run only on pages whose template asks for it.
    # A reviewer or manager of any project has review pages (scoped to their projects).
    return {"user_is_reviewer": SimpleLazyObject(lambda: reviews_somewhere(request.user))}
