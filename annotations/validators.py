"""Field validators shared by models, serializers and the importer."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_URL_LENGTH = 2048
URL_SCHEMES = ("http", "https")

_url_validator = URLValidator(schemes=list(URL_SCHEMES))


def validate_http_url(value: str) -> None:
    """Only http and https links: a javascript: or data: URL in a link is an XSS vector."""
    if value in (None, ""):
        return
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(f"URLs may be at most {MAX_URL_LENGTH} characters.")
    if urlsplit(value).scheme.lower() not in URL_SCHEMES:
        raise ValidationError("Only http:// and https:// URLs are allowed.")
    _url_validator(value)
