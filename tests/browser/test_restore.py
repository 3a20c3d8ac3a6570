"""Restoring older deletions from the "Deleted spans" section of the annotate page."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, Article
from tests.browser.helpers import TEXT, highlights, open_annotator
from tests.factories import make_span

pytestmark = pytest.mark.browser

TEXT_FR = "Selon Reuters, OpenAI a signé un accord de 12 milliards de dollars avec Google Cloud."


@pytest.fixture
def article(vocabulary):
    return Article.objects.create(external_id="restore", title="Restore", text=TEXT_FR, language="fr")


def deleted_section(page):
    return page.locator("details[data-deleted]")


def deleted_items(page):
    return page.locator("[data-deleted-list] > li")


def test_a_span_deleted_before_a_reload_is_restored_from_the_deleted_spans_section(open_page, alice, bob, article):
    span = make_span(article, alice, "OpenAI a signé un accord", note="à vérifier")
    theirs = make_span(article, bob, "Google Cloud", note="bob-only-note")
    services.annotation_delete(annotation=theirs)
    page = open_annotator(open_page(alice), article)
    section = deleted_section(page)
    expect(section).not_to_have_attribute("open", "")
    expect(page.locator("[data-deleted-count]")).to_have_text("0")

    highlights(page, span.pk).click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(highlights(page, span.pk)).to_have_count(0)
    expect(page.locator("[data-deleted-count]")).to_have_text("1")  # listed at once

    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()
    expect(highlights(page, span.pk)).to_have_count(0)
    section.locator("summary").click()
    expect(section).to_have_attribute("open", "")
    expect(deleted_items(page)).to_have_count(1)
    item = deleted_items(page).first
    expect(item).to_contain_text("OpenAI a signé un accord")
    expect(item.locator(".label-chip")).to_have_text("Claim")
    expect(item.locator("time")).to_contain_text("deleted")

    item.get_by_role("button", name="Restore").click()

    expect(highlights(page, span.pk)).to_have_count(1)
    expect(highlights(page, span.pk)).to_have_text("OpenAI a signé un accord")
    expect(deleted_items(page)).to_have_count(0)
    expect(page.locator(".span-item")).to_have_count(1)
    expect(page.get_by_test_id("span-text")).to_have_text("OpenAI a signé un accord")
    restored = Annotation.all_objects.get(pk=span.pk)
    assert restored.deleted_at is None and restored.note == "à vérifier" and restored.version == 3
    # Bob's deleted span was never on alice's page, and it stays deleted.
    expect(highlights(page, theirs.pk)).to_have_count(0)
    assert "bob-only-note" not in page.content() and "Google Cloud" not in page.locator("aside").inner_text()
    assert Annotation.all_objects.get(pk=theirs.pk).deleted_at is not None


def test_restore_works_from_the_keyboard_latest_deletion_first(open_page, alice, article):
    first = make_span(article, alice, "Selon Reuters", label="attribution")
    second = make_span(article, alice, "12 milliards de dollars")
    services.annotation_delete(annotation=first)
    services.annotation_delete(annotation=second)
    Annotation.all_objects.filter(pk=first.pk).update(deleted_at=datetime(2025, 11, 3, 9, 30, tzinfo=UTC))
    Annotation.all_objects.filter(pk=second.pk).update(
        deleted_at=datetime(2025, 11, 3, 9, 30, tzinfo=UTC) + timedelta(hours=1)
    )
    page = open_annotator(open_page(alice), article)

    page.locator("details[data-deleted] summary").focus()
    page.keyboard.press("Enter")
    expect(deleted_items(page)).to_have_count(2)
    expect(deleted_items(page).nth(0)).to_contain_text("12 milliards de dollars")
    expect(deleted_items(page).nth(1)).to_contain_text("Selon Reuters")

    page.keyboard.press("Tab")
    expect(deleted_items(page).nth(0).get_by_role("button", name="Restore")).to_be_focused()
    page.keyboard.press("Enter")
    expect(highlights(page, second.pk)).to_have_count(1)
    # Focus stays in the list, on the next Restore button.
    expect(deleted_items(page)).to_have_count(1)
    expect(deleted_items(page).first.get_by_role("button", name="Restore")).to_be_focused()
    page.keyboard.press("Enter")
    expect(highlights(page, first.pk)).to_have_count(1)
    expect(deleted_items(page)).to_have_count(0)
    expect(page.locator("[data-deleted-empty]")).to_be_visible()
    assert not Annotation.all_objects.filter(article=article, deleted_at__isnull=False).exists()

    # Undo takes the last restore back: the span is deleted again and listed again.
    page.get_by_role("button", name="Undo").click()
    expect(highlights(page, first.pk)).to_have_count(0)
    expect(deleted_items(page)).to_have_count(1)
    assert Annotation.all_objects.get(pk=first.pk).deleted_at is not None
    expect(page.locator(f"{TEXT} mark")).to_have_count(1)


def test_older_deleted_spans_are_fetched_on_request(open_page, alice, bob, article):
    from annotations.models import Label
    from annotations.views import DELETED_SHOWN

    claim = Label.objects.get(slug="claim")
    start = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
    Annotation.all_objects.bulk_create(
        Annotation(
            article=article,
            annotator=user,
            start=n % 80,
            end=n % 80 + 1,
            text=article.text[n % 80],
            label=claim,
            deleted_at=start + timedelta(minutes=n),
        )
        for user, count in ((alice, DELETED_SHOWN + 2), (bob, 3))
        for n in range(count)
    )
    page = open_annotator(open_page(alice), article)
    counter = page.locator("[data-deleted-count]")
    expect(counter).to_have_text(f"{DELETED_SHOWN}+")

    deleted_section(page).locator("summary").click()
    expect(deleted_items(page)).to_have_count(DELETED_SHOWN)
    page.get_by_role("button", name="Show older deleted spans").click()

    expect(counter).to_have_text(str(DELETED_SHOWN + 2))
    expect(deleted_items(page)).to_have_count(DELETED_SHOWN + 2)
    expect(page.get_by_role("button", name="Show older deleted spans")).to_be_hidden()
    oldest = Annotation.all_objects.filter(annotator=alice).order_by("deleted_at").first()
    expect(deleted_items(page).last).to_have_attribute("data-deleted-id", str(oldest.pk))
