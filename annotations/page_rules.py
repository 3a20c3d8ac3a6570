"""The server's rules that the annotate and review pages need in the browser.

The pages check a few things before they send (a URL's scheme, a note's length) and fill
in defaults (a new source link's relation, an unset verdict); they take every such rule
from here, through ``json_script``, so a rule changed on the server changes the pages too.
"""

from __future__ import annotations

from annotations.api import Pagination
from annotations.models import NOTE_MAX_LENGTH, Source, SourceLink
from annotations.validators import MAX_URL_LENGTH, URL_SCHEMES
from annotations.vocabulary import DEFAULT_VERDICT, LABELS_WITHOUT_CLAIM_FIELDS

# Keys that move between articles on the annotate page: never a label shortcut (one letter
# or digit), and Shift with the "]" and "[" that move between suggestions.
NEXT_ARTICLE_KEY = "}"
PREVIOUS_ARTICLE_KEY = "{"


def page_rules() -> dict:
    return {
        "defaultVerdict": DEFAULT_VERDICT,
        "defaultRelation": SourceLink._meta.get_field("relation").default,
        "noteMaxLength": NOTE_MAX_LENGTH,
        "urlMaxLength": MAX_URL_LENGTH,
        "urlSchemes": list(URL_SCHEMES),
        "maxPageSize": Pagination.max_page_size,
        "labelsWithoutClaimFields": list(LABELS_WITHOUT_CLAIM_FIELDS),
        "sourceKinds": [{"value": value, "name": name} for value, name in Source.Kind.choices],
        "defaultSourceKind": Source._meta.get_field("kind").default,
        "sourceNameMaxLength": Source._meta.get_field("name").max_length,
        "keys": {"nextArticle": NEXT_ARTICLE_KEY, "previousArticle": PREVIOUS_ARTICLE_KEY},
    }
