"""The template tags the pages' forms and tables are drawn with (annotations/templatetags/page_tags.py)."""

from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory


def render(source: str, **context) -> str:
    return Template("{% load page_tags %}" + source).render(Context(context))


def test_it_draws_a_labelled_select_with_the_chosen_value_selected():
    html = render(
        '{% select_field "filter-status" "status" "Status" statuses selected="done" empty="Any status" %}',
        statuses=[("open", "Open"), ("done", "Done")],
    )
    assert '<label for="filter-status">Status</label>' in html
    assert '<select id="filter-status" name="status">' in html
    assert '<option value="">Any status</option>' in html
    assert '<option value="open">Open</option>' in html
    assert '<option value="done" selected>Done</option>' in html


def test_it_takes_bare_values_as_their_own_names_and_marks_user_text_dir_auto():
    html = render('{% select_field "export-annotator" "annotator" "Annotator" names user_text=True %}', names=["ana"])
    assert '<option value="ana" dir="auto">ana</option>' in html
    assert 'value=""' not in html  # no "any" option unless it is named


def test_it_right_aligns_the_numeric_column_headings():
    html = render('{% table_head "Title" "My spans" numeric="My spans" %}')
    assert '<th scope="col">Title</th>' in html
    assert '<th scope="col" class="numeric">My spans</th>' in html


def test_a_row_action_posts_its_keys_with_the_csrf_token():
    request = RequestFactory().get("/")
    token = get_token(request)
    html = render('{% row_action "Remove" action="remove-member" username=name %}', csrf_token=token, name="<ana>")
    assert '<form method="post" class="inline-form">' in html
    assert f'name="csrfmiddlewaretoken" value="{token}"' in html
    assert '<input type="hidden" name="action" value="remove-member">' in html
    assert '<input type="hidden" name="username" value="&lt;ana&gt;">' in html  # escaped
    assert '<button type="submit" class="button button--quiet">Remove</button>' in html
