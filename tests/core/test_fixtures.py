"""The shipped fixtures: five clean seed articles, the vocabulary and the source registry."""

import hashlib
import unicodedata

import pytest
from django.core.management import call_command

from annotations.models import Article, ClaimType, Label, Source, Verdict

FIXTURES = ["fixtures/vocabulary.json", "fixtures/sources.json", "fixtures/seed_articles.json"]

# Page chrome the seed files carry around the articles; none of it belongs in a text.
CHROME = [
    "banner 1028x250",
    "Tinggalkan",
    "Baca Juga",
    "Baca\u00a0Berita",
    "Google News",
    "Komentar",
    "menit membaca",
    "Alamat email",
    "author0",
    "bookmark icon",
    "(dim/sa)",
    "Foto: Global Finance",
    "Apakah Anda menemukan kesalahan",
    "Sumber-sumber",
    "Diedit oleh",
    "\u00a0 .",
]


def load():
    call_command("loaddata", *FIXTURES, verbosity=0)


def snapshot() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (Article, Source, Label, ClaimType, Verdict)
    }


@pytest.fixture
def loaded(db):
    # Empty the tables the migration filled, so the fixtures alone must provide everything.
    for model in (Label, ClaimType, Verdict):
        model.objects.all().delete()
    assert not Article.objects.exists() and not Source.objects.exists()
    load()
    return {article.external_id: article for article in Article.objects.all()}


def test_it_loads_five_articles_in_indonesian_french_and_arabic(loaded):
    assert {key: a.language for key, a in loaded.items()} == {
        "000_4cc92aea613cc5b2": "id",
        "001_1332d41e4d87d38b": "fr",
        "002_5984e74d2e5e94fe": "id",
        "003_ba06ad8c82c9f938": "id",
        "004_c22e451cfeffb7b0": "ar",
    }


def test_only_the_arabic_article_reads_right_to_left(loaded):
    assert {key for key, a in loaded.items() if a.direction == "rtl"} == {"004_c22e451cfeffb7b0"}
    assert {a.direction for a in loaded.values()} == {"ltr", "rtl"}


def test_every_text_sha256_is_the_hash_of_the_text(loaded):
    for article in loaded.values():
        assert article.text_sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest(), article.external_id


def test_no_text_or_title_keeps_page_chrome(loaded):
    for article in loaded.values():
        for chrome in CHROME:
            assert chrome not in article.text, (article.external_id, chrome)
            assert chrome not in article.title, (article.external_id, chrome)


def test_texts_are_normalised(loaded):
    for article in loaded.values():
        assert unicodedata.is_normalized("NFC", article.text)
        assert "\r" not in article.text
        assert article.text == article.text.strip()
        assert "\n\n\n" not in article.text
        assert all(line == line.rstrip() for line in article.text.split("\n")), article.external_id


def test_titles_are_not_repeated_at_the_top_of_the_text(loaded):
    for article in loaded.values():
        first_line = article.text.split("\n", 1)[0]
        assert first_line != article.title or article.metadata.get("title_note"), article.external_id


def test_the_articles_keep_their_own_headings_and_sentences(loaded):
    katababel = loaded["000_4cc92aea613cc5b2"].text
    assert katababel.startswith("Kemitraan Cloud di Tengah Persaingan AI\n\nKATABABEL.COM \u2013 Berdasarkan")
    # The citation markers ("\u00a0 .") are gone; the full stops stay.
    assert "kompetitor utama di ranah AI.\n" in katababel
    assert "\nApa Alasan di Balik Kolaborasi Ini?\n" in katababel
    assert "\nPerang Teknologi Masa Depan\n" in loaded["003_ba06ad8c82c9f938"].text
    assert "Selon Reuters, cette coopération" in loaded["001_1332d41e4d87d38b"].text
    assert "بنية جوجل السحابية في منافسة الكبار" in loaded["004_c22e451cfeffb7b0"].text


def test_bylines_and_dates_are_fields_not_text(loaded):
    katababel = loaded["000_4cc92aea613cc5b2"]
    assert (katababel.publisher, katababel.author, katababel.title) == (
        "KATABABEL.COM",
        "admin",
        "Benarkah OpenAI & Google Akan Bekerja Sama?",
    )
    assert katababel.published_at.isoformat() == "2025-06-11T09:57:00+00:00"  # 16:57 WIB
    teknologi = loaded["003_ba06ad8c82c9f938"]
    assert (teknologi.publisher, teknologi.author) == ("Teknologi.id", "Adimas Herviana")
    assert teknologi.published_at.isoformat() == "2025-12-02T17:00:00+00:00"  # 3 December, WIB
    assert loaded["002_5984e74d2e5e94fe"].author == "Svetlana Velgush"
    # What the pages do not say stays empty.
    for key in ("001_1332d41e4d87d38b", "004_c22e451cfeffb7b0"):
        assert (loaded[key].publisher, loaded[key].author, loaded[key].published_at, loaded[key].url) == (
            "",
            "",
            None,
            None,
        )


def test_metadata_keeps_what_was_lifted_out_of_the_bodies(loaded):
    assert loaded["002_5984e74d2e5e94fe"].metadata["sources"] == [
        "Business AM",
        "Mint",
        "Capacity",
        "Verdict",
        "Tech in Asia",
        "The Times of India",
        "Morningstar",
        "Focus Taiwan",
    ]
    assert loaded["003_ba06ad8c82c9f938"].metadata["photo_credit"] == "Global Finance"


def test_every_fixture_row_passes_model_validation(loaded):
    for article in loaded.values():
        article.full_clean()
    for source in Source.objects.all():
        source.full_clean()
        assert source.homepage.startswith("https://"), source.slug
        assert source.aliases and all(isinstance(alias, str) for alias in source.aliases), source.slug


def test_reuters_and_cnbc_are_registered_with_their_arabic_names(loaded):
    reuters = Source.objects.get(slug="reuters")
    assert (reuters.name, reuters.kind) == ("Reuters", Source.Kind.NEWS_AGENCY)
    assert "رويترز" in reuters.aliases
    cnbc = Source.objects.get(slug="cnbc")
    assert cnbc.name == "CNBC"
    assert "سي إن بي سي" in cnbc.aliases


def test_every_outlet_the_seeds_name_is_registered(loaded):
    names = set(Source.objects.values_list("name", flat=True))
    cited = set(loaded["002_5984e74d2e5e94fe"].metadata["sources"])
    assert cited | {"Reuters", "CNBC", "Axios", "Investopedia", "Global Finance", "Katababel", "Teknologi.id"} <= names


def test_the_vocabulary_fixture_provides_labels_claim_types_and_verdicts(loaded):
    assert set(Label.objects.values_list("slug", flat=True)) == {"claim", "attribution"}
    assert Verdict.objects.filter(slug="unchecked").exists()
    assert ClaimType.objects.count() == 7


def test_loading_twice_changes_nothing(loaded):
    before = snapshot()
    load()
    assert snapshot() == before
    assert Article.objects.count() == 5


def test_the_shipped_sources_are_confirmed(seeds):
    assert Source.objects.count() > 0
    assert not Source.objects.filter(confirmed=False).exists()
