import json
import re

import pytest
from django.urls import reverse

from annotations.models import Completion
from tests.ui.conftest import page_data


def url(article):
    return reverse("article-annotate", args=[article.pk])


def test_it_sends_anonymous_visitors_to_the_login_page(client, make_article):
    article = make_article()
    response = client.get(url(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_answers_404_for_an_unknown_article(client, alice):
    client.force_login(alice)
    assert client.get("/articles/999999/").status_code == 404


def test_it_renders_the_text_container_with_lang_dir_and_the_label_buttons(client, alice, make_article):
    article = make_article(language="ar", title="عنوان")
    client.force_login(alice)

    html = client.get(url(article)).content.decode()

    assert re.search(r'<div class="article-text" data-testid="article-text" lang="ar" dir="rtl"', html)
    assert 'data-label="claim"' in html and 'aria-keyshortcuts="c"' in html
    assert 'data-label="attribution"' in html
    assert "annotator--rtl" in html


def test_it_embeds_the_text_vocabularies_and_only_my_spans(client, alice, bob, make_article, span, reuters):
    article = make_article(text="Selon Reuters 🎉, le café coûte 12 milliards.")
    mine = span(
        article, alice, start=6, end=13, note="vu", source_links=[{"source": "reuters", "relation": "attributed"}]
    )
    span(article, bob, start=0, end=5)
    client.force_login(alice)

    data = page_data(client.get(url(article)))

    assert data["article"] == {
        "id": article.pk,
        "title": article.title,
        "text": article.text,
        "language": "fr",
        "direction": "ltr",
    }
    assert [a["id"] for a in data["annotations"]] == [mine.pk]
    [embedded] = data["annotations"]
    assert embedded["text"] == "Reuters"
    assert embedded["annotator"] == "alice"
    assert embedded["version"] == 1
    assert embedded["source_links"] == [{"source": "reuters", "name": "Reuters", "url": None, "relation": "attributed"}]
    assert {label["slug"]: label["shortcut"] for label in data["labels"]} == {"claim": "c", "attribution": "a"}
    assert "quantity" in [item["slug"] for item in data["claimTypes"]]
    assert "unchecked" in [item["slug"] for item in data["verdicts"]]
    assert [item["value"] for item in data["relations"]] == ["attributed", "supports", "refutes", "context"]
    assert data["urls"]["done"] == reverse("article-done", args=[article.pk])


def test_embedded_spans_are_exactly_what_the_api_returns(client, alice, make_article, span, reuters):
    # The page builds its records from flat queries for speed; they must not drift from
    # the API's serializer, which the page's script also reads after every save.
    from annotations.models import Annotation
    from annotations.serializers import AnnotationSerializer

    article = make_article(text="Selon Reuters 🎉, le café coûte 12 milliards de dollars.")
    span(
        article,
        alice,
        start=6,
        end=13,
        claim_type="event",
        checkworthy=True,
        verdict="mostly-true",
        note="« vu »",
        source_links=[
            {"source": "reuters", "url": "https://www.reuters.com/x", "relation": "supports"},
            {"source": "reuters", "relation": "context"},
        ],
    )
    span(article, alice, start=0, end=20, label="attribution", checkworthy=False)
    client.force_login(alice)

    embedded = page_data(client.get(url(article)))["annotations"]

    expected = AnnotationSerializer(
        Annotation.objects.filter(article=article).with_relations().order_by("start", "end", "id"), many=True
    ).data
    # Timestamps aside: the page never shows them (selectors.PAGE_RECORD_OMITS).
    from annotations.selectors import PAGE_RECORD_OMITS

    assert {"created_at", "updated_at"} == PAGE_RECORD_OMITS
    expected = [{key: value for key, value in record.items() if key not in PAGE_RECORD_OMITS} for record in expected]
    assert embedded == json.loads(json.dumps(expected))
    assert [list(record) for record in embedded] == [list(record) for record in expected]  # same key order


def test_a_reviewer_sees_only_their_own_spans_on_this_page(client, rita, bob, make_article, span):
    article = make_article()
    own = span(article, rita)
    span(article, bob)
    client.force_login(rita)

    data = page_data(client.get(url(article)))

    assert [a["id"] for a in data["annotations"]] == [own.pk]


def test_it_leaves_out_deleted_spans(client, alice, make_article, span):
    from annotations import services

    article = make_article()
    services.annotation_delete(annotation=span(article, alice))
    client.force_login(alice)

    assert page_data(client.get(url(article)))["annotations"] == []


def test_markup_in_the_title_and_text_stays_text(client, alice, make_article):
    payload = "<img src=x onerror=window.__xss=1><script>window.__xss=1</script>"
    article = make_article(title=payload, text=f"Avant {payload} après.")
    client.force_login(alice)

    response = client.get(url(article))
    html = response.content.decode()

    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html  # the escaped title
    assert page_data(response)["article"]["text"] == f"Avant {payload} après."


def test_the_page_has_no_inline_script_style_or_event_handler(client, alice, make_article):
    # The Content-Security-Policy forbids them; the JSON data block is not executed.
    article = make_article()
    client.force_login(alice)

    html = client.get(url(article)).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its module"
    for tag in scripts:
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_it_shows_whether_i_marked_the_article_done(client, alice, bob, make_article):
    article = make_article()
    Completion.objects.create(article=article, annotator=bob)
    client.force_login(alice)
    assert 'aria-pressed="false"' in client.get(url(article)).content.decode()

    Completion.objects.create(article=article, annotator=alice)
    html = client.get(url(article)).content.decode()
    assert 'aria-pressed="true"' in html
    assert 'name="done" value="0"' in html


@pytest.mark.parametrize("spans", [1, 12])
def test_it_runs_a_constant_number_of_queries(
    client, alice, make_article, span, reuters, spans, django_assert_num_queries
):
    article = make_article(text="x" * 100)
    for n in range(spans):
        span(article, alice, start=n, end=n + 5, source_links=[{"source": "reuters"}])
    client.force_login(alice)
    # session, user, article (with its project), is_reviewer (groups), my deleted spans (the
    # latest 101), assigned to me?, the previous and the next article of my list, spans, their
    # links, labels, claim types, verdicts, done, and the header's "reviews a project?" (alice's
    # memberships)
    with django_assert_num_queries(15):
        response = client.get(url(article))
    assert len(page_data(response)["annotations"]) == spans


def test_the_page_gets_the_servers_rules_instead_of_restating_them(client, alice, make_article):
    from annotations.api import Pagination
    from annotations.models import NOTE_MAX_LENGTH
    from annotations.validators import MAX_URL_LENGTH

    client.force_login(alice)
    response = client.get(url(make_article()))
    html = response.content.decode()
    rules = page_data(response)["rules"]
    assert rules["defaultVerdict"] == "unchecked" and rules["defaultRelation"] == "attributed"
    assert (rules["noteMaxLength"], rules["urlMaxLength"], rules["maxPageSize"]) == (
        NOTE_MAX_LENGTH,
        MAX_URL_LENGTH,
        Pagination.max_page_size,
    )
    assert rules["urlSchemes"] == ["http", "https"] and rules["labelsWithoutClaimFields"] == ["attribution"]
    # The limits reach the form fields from the same rules.
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in html and f'maxlength="{MAX_URL_LENGTH}"' in html
