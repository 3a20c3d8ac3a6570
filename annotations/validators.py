"""Field validators shared by models, serializers and the importer."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_URL_LENGTH = 2048

_url_validator = URLValidator(schemes=["http", "https"])


def validate_http_url(value: str) -> None:
    """Only http and https links: a javascript: or data: URL in a link is an XSS vector."""
    if value in (None, ""):
        return
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(f"URLs may be at most {MAX_URL_LENGTH} characters.")
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError("Only http:// and https:// URLs are allowed.")
    _url_validator(value)


MAX_LANGUAGES = 50
# Well-formed BCP 47 (language, optional script/region/variant subtags), e.g. id, fr, ar, pt-BR, zh-Hant.
_BCP47 = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def validate_languages(value) -> None:
    """A project's languages: a list of distinct BCP 47 tags."""
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValidationError({"languages": 'languages must be a list of BCP 47 tags such as ["fr", "ar"].'})
    if len(value) > MAX_LANGUAGES:
        raise ValidationError({"languages": f"At most {MAX_LANGUAGES} languages."})
    bad = [tag for tag in value if len(tag) > 35 or not _BCP47.match(tag)]
    if bad:
        raise ValidationError({"languages": f"Not a BCP 47 tag: {', '.join(repr(t[:40]) for t in bad[:5])}."})
    if len({tag.lower() for tag in value}) != len(value):
        raise ValidationError({"languages": "Each language may appear once."})
