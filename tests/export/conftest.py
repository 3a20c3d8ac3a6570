"""A small corpus with known spans, and helpers that run the export command.

The corpus (reviewer's view, default layer):
- the French test article: alice's attribution "Selon Reuters" [0, 13), bob's claim
  "OpenAI a signé un accord" [15, 39), alice's claim after the emoji [43, 80); also
  alice's deleted span "Fin" and rita's gold copy of the café claim;
- an Arabic article with bob's claim [15, 45);
- an Indonesian article without spans.
"""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from annotations.models import Annotation, Article, Source
from annotations.services import annotation_create, annotation_delete
from annotations.text import normalize_text

CREATED = datetime(2025, 11, 21, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 11, 22, 12, 0, tzinfo=UTC)


def stamp(annotation: Annotation, created: datetime, updated: datetime) -> None:
    # auto_now fields ignore assigned values on save(); update() writes them as given.
    Annotation.all_objects.filter(pk=annotation.pk).update(created_at=created, updated_at=updated)


@pytest.fixture
def cnbc(vocabulary) -> Source:
    return Source.objects.create(slug="cnbc", name="CNBC", homepage="https://www.cnbc.com/", kind="broadcaster")


@pytest.fixture
def corpus(article, reuters, cnbc, alice, bob, rita):
    arabic = Article.objects.create(
        external_id="ar-001",
        title="رويترز: استثمار جديد",
        text="قالت رويترز إن الشركة ستستثمر 5 مليارات دولار.",
        language="ar",
        url="https://example.org/ar/1",
        publisher="رويترز عربي",
        author="سارة",
        published_at=datetime(2025, 11, 20, 8, 30, tzinfo=UTC),
    )
    indonesian = Article.objects.create(
        external_id="id-001", title="Anggaran baru", text="Pemerintah mengumumkan anggaran baru.", language="id"
    )
    attribution = annotation_create(
        article=article,
        annotator=alice,
        start=0,
        end=13,
        label="attribution",
        source_links=[{"source": "reuters", "relation": "attributed"}],
    )
    accord = annotation_create(
        article=article,
        annotator=bob,
        start=15,
        end=39,
        text="OpenAI a signé un accord",
        label="claim",
        claim_type="event",
        checkworthy=True,
        verdict="true",
        note="Confirmé par l'AFP.",
        source_links=[
            {"source": "reuters", "url": "https://www.reuters.com/technology/openai-accord", "relation": "supports"},
            {"source": "cnbc", "relation": "context"},
        ],
    )
    cafe = annotation_create(
        article=article,
        annotator=alice,
        start=43,
        end=80,
        label="claim",
        claim_type="quantity",
        checkworthy=True,
    )
    deleted = annotation_create(article=article, annotator=alice, start=82, end=85, label="claim")
    annotation_delete(annotation=deleted)
    gold = annotation_create(
        article=article,
        annotator=rita,
        start=43,
        end=80,
        label="claim",
        claim_type="quantity",
        checkworthy=True,
        verdict="mostly-false",
        is_gold=True,
    )
    investment = annotation_create(
        article=arabic,
        annotator=bob,
        start=15,
        end=45,
        label="claim",
        claim_type="quantity",
        checkworthy=False,
        source_links=[{"source": "reuters"}],
    )
    for span in (attribution, investment, deleted, gold):
        stamp(span, CREATED, CREATED)
    stamp(accord, CREATED, LATER)
    stamp(cafe, CREATED.replace(microsecond=250000), CREATED.replace(microsecond=250000))
    return SimpleNamespace(
        french=article,
        arabic=arabic,
        indonesian=indonesian,
        attribution=attribution,
        accord=accord,
        cafe=cafe,
        deleted=deleted,
        gold=gold,
        investment=investment,
    )


TEXTS = {
    "emoji": "La famille 👨‍👩‍👧 en 🇫🇷 a dit 👍🏽 : 3 millions 🎉 de personnes.",
    "combining": "Le signe q\u0307 et x\u0304 ; क्षत्रिय ; שָׁלוֹם ; fin.",
    "crlf": normalize_text("Ligne une.\r\nSelon CNBC, 5 % de hausse.\r\n\r\nFin\rdu texte."),
    "arabic": "قالت رويترز إنَّ الشركةَ ستستثمر \u0665 مليارات دولار 💰 في مصر.",
    "separators": "Avant\u2028après\u2029suite\x85et fin 🎉 ici.",
}


@pytest.fixture
def hard_corpus(alice, reuters):
    spans = {}
    for name, text in TEXTS.items():
        article = Article.objects.create(external_id=f"hard-{name}", title=name, text=text, language="fr")
        # Every run of non-space characters, and one span across the first two tokens.
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        tokens.append((tokens[0][0], tokens[1][1]))
        for start, end in tokens:
            annotation_create(
                article=article,
                annotator=alice,
                start=start,
                end=end,
                text=text[start:end],
                label="claim",
                source_links=[{"source": "reuters"}],
            )
        spans[article.pk] = (text, tokens)
    return spans


def run_export(tmp_path, *args: str) -> bytes:
    """Run ``export_corpus`` with command-line arguments and return the file's bytes."""
    path = tmp_path / "export.jsonl"
    call_command("export_corpus", *args, "--output", str(path))
    return path.read_bytes()


def records(data: bytes) -> list[dict]:
    import json

    assert data == b"" or data.endswith(b"\n")
    return [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
