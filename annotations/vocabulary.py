"""The default tag vocabulary shipped with the workbench (editable in the admin).

Claim types follow Full Fact's claim-type schema plus news events; verdicts map onto
X-Fact's seven labels and ClaimReview's ``alternateName``.
"""

DEFAULT_LABELS = [
    {
        "slug": "claim",
        "name": "Claim",
        "color": "#ffd54f",
        "shortcut": "c",
        "order": 1,
        "description": "A checkable statement of fact.",
    },
    {
        "slug": "attribution",
        "name": "Attribution",
        "color": "#90caf9",
        "shortcut": "a",
        "order": 2,
        "description": "The words that name who said it, e.g. \u201cSelon Reuters\u201d.",
    },
]

DEFAULT_CLAIM_TYPES = [
    {
        "slug": "quantity",
        "name": "Quantity",
        "order": 1,
        "description": "Current value of something: numbers, statistics, rankings.",
    },
    {"slug": "prediction", "name": "Prediction", "order": 2, "description": "Hypothetical claims about the future."},
    {
        "slug": "causation",
        "name": "Correlation or causation",
        "order": 3,
        "description": "Cause and effect, or things that change together.",
    },
    {
        "slug": "laws-rules",
        "name": "Laws and rules",
        "order": 4,
        "description": "Legislation, regulation, official procedure.",
    },
    {
        "slug": "personal-experience",
        "name": "Personal experience",
        "order": 5,
        "description": "What the speaker says happened to them.",
    },
    {
        "slug": "event",
        "name": "Event",
        "order": 6,
        "description": "News events: something happened, was announced or agreed.",
    },
    {"slug": "other", "name": "Other", "order": 7, "description": "Any other checkable claim."},
]

DEFAULT_VERDICTS = [
    {"slug": "unchecked", "name": "Unchecked", "order": 0, "claimreview_name": "", "xfact_label": "other"},
    {"slug": "true", "name": "True", "order": 1, "claimreview_name": "True", "xfact_label": "true"},
    {
        "slug": "mostly-true",
        "name": "Mostly true",
        "order": 2,
        "claimreview_name": "Mostly true",
        "xfact_label": "mostly_true",
    },
    {"slug": "mixed", "name": "Mixed", "order": 3, "claimreview_name": "Half true", "xfact_label": "partly_true"},
    {
        "slug": "mostly-false",
        "name": "Mostly false",
        "order": 4,
        "claimreview_name": "Mostly false",
        "xfact_label": "mostly_false",
    },
    {"slug": "false", "name": "False", "order": 5, "claimreview_name": "False", "xfact_label": "false"},
    {
        "slug": "unverifiable",
        "name": "Unverifiable",
        "order": 6,
        "claimreview_name": "Unverifiable",
        "xfact_label": "complicated",
    },
]

DEFAULT_VERDICT = "unchecked"

# Labels whose spans name a speaker rather than state a claim: claim type, check-worthiness
# and verdict do not apply to them, and the annotate page does not show those fields.
LABELS_WITHOUT_CLAIM_FIELDS = ("attribution",)
GROUPS = ["annotator", "reviewer"]


def install_defaults(label_model, claim_type_model, verdict_model, group_model, project=None) -> None:
    """Create the default vocabulary and role groups where missing (never overwrites edits).

    With ``project`` the vocabulary is that project's (a new project starts with a copy of
    the defaults); without it, the one the models default to (migration 0002 predates projects).
    """
    scope = {} if project is None else {"project": project}
    for model, rows in (
        (label_model, DEFAULT_LABELS),
        (claim_type_model, DEFAULT_CLAIM_TYPES),
        (verdict_model, DEFAULT_VERDICTS),
    ):
        for row in rows:
            model.objects.get_or_create(
                slug=row["slug"], **scope, defaults={k: v for k, v in row.items() if k != "slug"}
            )
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)
