"""The admin: every page renders for staff, span edits obey the offset rule, deletes are soft."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Article, Label, Source
from annotations.services import annotation_create, annotation_delete, annotation_update
from tests.factories import make_span


@pytest.fixture
def staff(sam):
    # A staff member with the workbench's model permissions (not a superuser).
    sam.user_permissions.add(*Permission.objects.filter(content_type__app_label="annotations"))
    sam.user_permissions.add(Permission.objects.get(codename="view_user"))
    return sam


@pytest.fixture
def client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def span(article, alice) -> Annotation:
    Source.objects.get_or_create(slug="reuters", defaults={"name": "Reuters", "kind": "news-agency"})
    return make_span(
        article,
        alice,
        0,
        13,
        label="attribution",
        note="Selon",
        source_links=[{"source": "reuters", "relation": "attributed"}],
    )


@pytest.fixture
def seeded(seeds, span):
    return span


def form_data(annotation: Annotation, **changes) -> dict:
    data = {
        "article": annotation.article_id,
        "annotator": annotation.annotator_id,
        "start": annotation.start,
        "end": annotation.end,
        "text": annotation.text,
        "label": annotation.label_id,
        "claim_type": annotation.claim_type_id or "",
        "checkworthy": "unknown",
        "verdict": annotation.verdict_id or "",
        "note": annotation.note,
        "expected_version": annotation.version,
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "source_links-MIN_NUM_FORMS": "0",
        "source_links-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(changes)
    return data


def change_url(annotation: Annotation) -> str:
    return reverse("admin:annotations_annotation_change", args=[annotation.pk])


MODELS = ["article", "annotation", "source", "label", "claimtype", "verdict"]
MODELS += ["assignment", "completion", "reviewdecision"]


def test_changelist_and_add_pages_render_for_staff(client, seeded):
    for model in MODELS:
        for page in ("changelist", "add"):
            assert client.get(reverse(f"admin:annotations_{model}_{page}")).status_code == 200, (model, page)


def test_change_pages_render_for_staff(client, seeded):
    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")
    for url in (
        reverse("admin:annotations_article_change", args=[article.pk]),
        reverse("admin:annotations_article_change", args=[seeded.article_id]),
        change_url(seeded),
        reverse("admin:annotations_annotation_history", args=[seeded.pk]),
        reverse("admin:annotations_source_change", args=[Source.objects.get(slug="reuters").pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_admin_is_for_staff_only(alice, span):
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("admin:annotations_annotation_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_article_page_lists_its_spans_with_their_text(client, span):
    response = client.get(reverse("admin:annotations_article_change", args=[span.article_id]))
    assert "Selon Reuters" in response.content.decode()
    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 1


def test_an_annotated_article_shows_its_text_read_only(client, span, article):
    response = client.get(reverse("admin:annotations_article_change", args=[article.pk]))
    assert 'name="text"' not in response.content.decode()
    unannotated = Article.objects.create(external_id="free", title="Libre", text="Libre.", language="fr")
    response = client.get(reverse("admin:annotations_article_change", args=[unannotated.pk]))
    assert 'name="text"' in response.content.decode()


def test_article_text_typed_in_the_admin_is_normalised(client, vocabulary, seed_project):
    response = client.post(
        reverse("admin:annotations_article_add"),
        {
            "project": seed_project.pk,
            "external_id": "typed",
            "title": "Tapé",
            "language": "fr",
            "direction": "",
            "text": "Cafe\u0301\r\nSuite.",
            "url": "",
            "publisher": "",
            "author": "",
            "metadata": "{}",
            "annotations-TOTAL_FORMS": "0",
            "annotations-INITIAL_FORMS": "0",
            "annotations-MIN_NUM_FORMS": "0",
            "annotations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(external_id="typed")
    assert (article.text, article.direction, article.url) == ("Café\nSuite.", "ltr", None)


def test_the_source_search_finds_arabic_aliases(client, seeds):
    response = client.get(reverse("admin:annotations_source_changelist"), {"q": "رويترز"})
    assert [source.slug for source in response.context["cl"].result_list] == ["reuters"]
    response = client.get(reverse("admin:annotations_source_changelist"), {"q": "سي إن بي سي", "kind": "news-agency"})
    assert list(response.context["cl"].result_list) == []  # the kind filter still applies


def test_the_annotation_list_filters_by_language_and_shows_deleted_spans(client, span, bob):
    gone = annotation_create(article=span.article, annotator=bob, start=15, end=21, label="claim")
    annotation_delete(annotation=gone)
    url = reverse("admin:annotations_annotation_changelist")
    listed = lambda **params: {a.pk for a in client.get(url, params).context["cl"].result_list}  # noqa: E731
    assert listed() == {span.pk, gone.pk}
    assert listed(deleted="yes") == {gone.pk}
    assert listed(deleted="no") == {span.pk}
    assert listed(article__language="fr") == {span.pk, gone.pk}
    assert listed(article__language="ar") == set()
    assert listed(q="Reuters") == {span.pk}


def test_the_restore_action_brings_deleted_spans_back(client, span):
    annotation_delete(annotation=span)
    response = client.post(
        reverse("admin:annotations_annotation_changelist"),
        {"action": "restore_annotations", "_selected_action": [span.pk]},
        follow=True,
    )
    assert response.status_code == 200
    span = Annotation.objects.get(pk=span.pk)
    assert span.deleted_at is None
    assert span.version == 3  # created, deleted, restored
    assert "Restored 1 annotation" in response.content.decode()


def test_deleting_in_the_admin_is_a_soft_delete(client, span):
    response = client.post(reverse("admin:annotations_annotation_delete", args=[span.pk]), {"post": "yes"})
    assert response.status_code == 302
    span = Annotation.all_objects.get(pk=span.pk)
    assert span.deleted_at is not None
    assert span.source_links.count() == 1


def test_a_deleted_span_is_view_only_until_restored(client, span):
    annotation_delete(annotation=span)
    response = client.get(change_url(span))
    assert response.status_code == 200
    assert 'name="start"' not in response.content.decode()


def test_an_admin_edit_moves_the_span_takes_the_new_text_and_bumps_the_version(client, span, article):
    start = article.text.index("OpenAI")
    response = client.post(change_url(span), form_data(span, start=start, end=start + 6, note="<i>vu</i>"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    span.refresh_from_db()
    assert (span.start, span.end, span.text, span.note) == (start, start + 6, "OpenAI", "vu")
    assert span.version == 2
    assert span.history.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": 500}, "end", "past the end"),
        ({"start": 9, "end": 2}, "end", "before start"),
        ({"start": 4, "end": 4}, "end", "empty"),
        ({"start": -1}, "start", "greater than or equal to 0"),
        ({"start": "abc"}, "start", "whole number"),
        ({"text": "Selon Reuter"}, "text", "does not match"),
    ],
)
def test_an_admin_edit_breaking_the_offset_rule_is_refused(client, span, changes, field, message):
    response = client.post(change_url(span), form_data(span, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    span.refresh_from_db()
    assert (span.start, span.end, span.version) == (0, 13, 1)


def test_an_admin_edit_of_a_stale_version_is_refused(client, span):
    response = client.post(change_url(span), form_data(span, expected_version=0, note="late"))
    assert response.status_code == 200
    assert "Someone changed this annotation" in str(response.context["adminform"].form.non_field_errors())
    span.refresh_from_db()
    assert span.note == "Selon"


def test_a_span_added_in_the_admin_must_match_its_article(client, article, alice, vocabulary):
    claim = Label.objects.get(slug="claim")
    probe = Annotation(article=article, annotator=alice, start=0, end=5, text="", label=claim)
    data = form_data(probe, expected_version="", text="")
    response = client.post(reverse("admin:annotations_annotation_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Annotation.objects.get()
    assert added.text == "Selon"
    assert added.text == article.text[added.start : added.end]
    assert (added.verdict.slug, added.version) == ("unchecked", 1)


def test_bad_source_input_is_a_form_error_not_a_crash(client, vocabulary):
    url = reverse("admin:annotations_source_add")
    base = {"slug": "wam", "name": "WAM", "homepage": "https://www.wam.ae/", "kind": "news-agency", "aliases": "[]"}
    for changes, field in (
        ({"homepage": "javascript:alert(1)"}, "homepage"),
        ({"aliases": '{"ar": "وام"}'}, "aliases"),
        ({"aliases": "[1, 2]"}, "aliases"),
        ({"aliases": "not json"}, "aliases"),
        ({"kind": "blog"}, "kind"),
        ({"slug": "not a slug"}, "slug"),
    ):
        response = client.post(url, {**base, **changes})
        assert response.status_code == 200, changes
        assert field in response.context["adminform"].form.errors, changes
    assert not Source.objects.exists()
    assert client.post(url, {**base, "aliases": '["وام"]'}).status_code == 302
    assert Source.objects.get().created_by.username == "sam"


def test_a_javascript_url_in_a_source_link_is_refused(client, span):
    data = form_data(
        span,
        **{
            "source_links-TOTAL_FORMS": "1",
            "source_links-0-source": Source.objects.get(slug="reuters").pk,
            "source_links-0-url": "javascript:alert(1)",
            "source_links-0-relation": "supports",
        },
    )
    response = client.post(change_url(span), data)
    assert response.status_code == 200
    assert "url" in response.context["inline_admin_formsets"][0].formset.errors[0]
    assert span.source_links.get().url is None


def test_odd_list_parameters_do_not_break_the_annotation_list(client, span):
    url = reverse("admin:annotations_annotation_changelist")
    for params in ({"deleted": "maybe"}, {"start__gt": "abc"}, {"o": "99"}, {"q": "<script>"}, {"p": "x"}):
        assert client.get(url, params).status_code in (200, 302), params
    assert client.get(reverse("admin:annotations_annotation_change", args=[987654])).status_code == 302


def test_reverting_to_an_earlier_version_goes_through_the_same_checks(client, span):
    first = span.history.earliest()
    annotation_update(annotation=span, expected_version=1, changes={"note": "changed"})
    url = reverse("admin:annotations_annotation_simple_history", args=[span.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(Annotation.objects.get(pk=span.pk), note=first.note)
    data["expected_version"] = page.context["adminform"].form["expected_version"].value()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    span.refresh_from_db()
    assert (span.note, span.version) == ("Selon", 3)


def test_an_admin_edit_moving_a_span_onto_another_of_its_layer_is_refused_in_a_no_overlap_project(
    client, span, article, seed_project
):
    start = article.text.index("OpenAI")
    make_span(article, span.annotator, start, start + 6, label="claim")
    seed_project.allow_overlap = False
    seed_project.save()
    response = client.post(change_url(span), form_data(span, start=start - 2, end=start + 2))
    assert response.status_code == 200
    assert "overlaps the span" in " ".join(response.context["adminform"].form.errors["start"])
    span.refresh_from_db()
    assert (span.start, span.end, span.version) == (0, 13, 1)
    # A note edit is not a move: it saves even next to the other span.
    response = client.post(change_url(span), form_data(span, note="vu"))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_span_added_in_the_admin_is_refused_a_retired_label_like_anywhere_else(client, article, alice):
    # The service's vocabulary rule (retired entries take no new spans): the model alone allows it.
    claim = Label.objects.get(slug="claim")
    Label.objects.filter(pk=claim.pk).update(retired=True)
    probe = Annotation(article=article, annotator=alice, start=0, end=5, text="", label=claim)
    response = client.post(reverse("admin:annotations_annotation_add"), form_data(probe, expected_version=""))
    assert response.status_code == 200
    assert "retired" in " ".join(response.context["adminform"].form.errors["label"])
    assert not Annotation.all_objects.exists()


def test_an_admin_edit_keeps_a_retired_label_but_cannot_choose_one(client, span, staff):
    Label.objects.filter(slug__in=["attribution", "claim"]).update(retired=True)
    claim = Label.objects.get(slug="claim")
    response = client.post(change_url(span), form_data(span, label=claim.pk))
    assert response.status_code == 200
    assert "retired" in " ".join(response.context["adminform"].form.errors["label"])
    span.refresh_from_db()
    assert (span.label.slug, span.version) == ("attribution", 1)
    # The span's own label retired since: a note edit still saves, written (and recorded) by the service.
    response = client.post(change_url(span), form_data(span, note="<b>vu</b>"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    span.refresh_from_db()
    assert (span.label.slug, span.note, span.version) == ("attribution", "vu", 2)
    assert span.history.latest().history_user == staff


def test_an_admin_edit_moving_a_span_to_another_layer_is_checked_for_overlap(client, span, article, bob, seed_project):
    make_span(article, bob, 6, 13, label="claim")
    seed_project.allow_overlap = False
    seed_project.save()
    response = client.post(change_url(span), form_data(span, annotator=bob.pk))
    assert response.status_code == 200
    assert "overlaps the span [6, 13)" in " ".join(response.context["adminform"].form.errors["start"])
    seed_project.allow_overlap = True
    seed_project.save()
    response = client.post(change_url(span), form_data(span, annotator=bob.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    span.refresh_from_db()
    assert (span.annotator, span.version) == (bob, 2)


def test_a_span_stays_on_its_article_in_the_admin(client, span, article):
    # As in the API: the article is shown, not posted; the rest of the edit saves.
    other = Article.objects.create(external_id="other", title="Autre", text="Selon Reuters, autre.", language="fr")
    response = client.post(change_url(span), form_data(span, article=other.pk, note="moved?"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    span.refresh_from_db()
    assert (span.article_id, span.note) == (article.pk, "moved?")
