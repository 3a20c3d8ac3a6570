"""The pieces the pages' forms and tables repeat: a labelled select, a table's column
headings, and the hidden fields and one-button forms of the settings page's POSTs.
``{% load page_tags %}``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _choice(choice: Any) -> tuple[Any, Any]:
    """A (value, name) pair; a bare value (a language code, a username) is its own name."""
    if isinstance(choice, list | tuple):
        value, name = choice
        return value, name
    return choice, choice


@register.inclusion_tag("_select_field.html")
def select_field(
    field_id: str,
    name: str,
    label: str,
    choices: Iterable[Any],
    *,
    selected: Any = None,
    empty: str | None = None,
    user_text: bool = False,
) -> dict[str, Any]:
    """``<div class="field">`` with a label and a select of ``choices``; ``empty`` names a
    first option with the value "" (no option when None); ``selected`` is the chosen value;
    ``user_text`` marks the options ``dir="auto"`` (usernames, label names)."""
    return {
        "id": field_id,
        "name": name,
        "label": label,
        "choices": [_choice(choice) for choice in choices],
        "selected": selected,
        "empty": empty,
        "user_text": user_text,
    }


@register.inclusion_tag("_table_head.html")
def table_head(*headings: str, numeric: str = "") -> dict[str, Any]:
    """A ``<thead>`` of column headings; the ones named in ``numeric`` (comma-separated) are
    right-aligned like their numbers."""
    right = {heading.strip() for heading in numeric.split(",")}
    return {"columns": [(heading, heading in right) for heading in headings]}


@register.simple_tag(takes_context=True)
def post_fields(context: template.Context, **fields: Any) -> SafeString:
    """The CSRF token and a hidden input per keyword, e.g. the ``action`` a form posts."""
    hidden = format_html_join("", '<input type="hidden" name="{}" value="{}">', fields.items())
    return format_html("{}{}", CsrfTokenNode().render(context), hidden)


@register.inclusion_tag("_row_action.html", takes_context=True)
def row_action(context: template.Context, button: str, *, form_id: str = "", **fields: Any) -> dict[str, Any]:
    """A table row's POST form with one quiet ``button`` and ``fields`` as hidden inputs;
    ``form_id`` lets the inputs of the row's other cells join it (``form="..."``)."""
    return {"button": button, "form_id": form_id, "fields": post_fields(context, **fields)}
