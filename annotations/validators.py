"""Field validators shared by models, serializers and the importer."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_URL_LENGTH = 2048
URL_SCHEMES = ("http", "https")

_url_validator = URLValidator(schemes=list(URL_SCHEMES))

# The embedding, override and isolate controls. Invisible, they reorder what a reader sees:
# "\u202esretueR" shows as "Reuters", "report\u202egpj.exe" as "reportexe.jpg". The marks
# (U+200E, U+200F, U+061C) only set a direction and stay allowed.
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
BIDI_MESSAGE = (
    "holds an invisible bidirectional control character (U+202A to U+202E or U+2066 to U+2069), "
    "which makes text display as something else; remove it."
)
NUL_MESSAGE = "holds a NUL character (\\u0000), which is not text."


def has_bidi_control(value: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(value)


def validate_no_bidi_controls(value: str) -> None:
    if isinstance(value, str) and has_bidi_control(value):
        raise ValidationError(f"This text {BIDI_MESSAGE}", code="bidi_control")


def validate_http_url(value: str) -> None:
    """Only http and https links: a javascript: or data: URL in a link is an XSS vector."""
    if value in (None, ""):
        return
    if "\x00" in value:
        raise ValidationError(f"This URL {NUL_MESSAGE}", code="null_characters_not_allowed")
    if has_bidi_control(value):
        raise ValidationError(f"This URL {BIDI_MESSAGE}", code="bidi_control")
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(f"URLs may be at most {MAX_URL_LENGTH} characters.")
    if urlsplit(value).scheme.lower() not in URL_SCHEMES:
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
