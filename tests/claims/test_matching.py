"""The claim matcher: signals that cross languages and scripts, and its quality floors on the seeds."""

import json
from pathlib import Path

import pytest

from annotations.claims.evaluation import evaluate, load_labelled
from annotations.claims.matching import ClaimTexts, Matcher, RegistryEntry
from annotations.offsets import check_span

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    records = json.loads((ROOT / "fixtures" / "sources.json").read_text(encoding="utf-8"))
    return Matcher(
        RegistryEntry(r["fields"]["slug"], r["fields"]["name"], tuple(r["fields"]["aliases"]))
        for r in records
        if r["model"] == "annotations.source"
    )


def keys(matcher: Matcher, text: str, language: str, kind: str) -> set:
    return {signal.key for signal in matcher.signals(text, language) if signal.kind == kind}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("L'accord d'environ 12 milliards de dollars avec Coreweave", "fr"),
        ("في صفقة تبلغ قيمتها نحو 12 مليار دولار", "ar"),
        ("في صفقة تبلغ قيمتها نحو ١٢ مليار دولار", "ar"),
        ("a deal worth $12 billion", "en"),
        ("kesepakatan senilai 12 miliar dolar", "id"),
        ("kesepakatan senilai $12 miliar", "id"),
    ],
)
def test_it_reads_twelve_billion_in_every_script_and_language(matcher, text, language):
    assert 12e9 in keys(matcher, text, language, "amount")


def test_it_reads_french_billion_as_a_million_millions(matcher):
    assert keys(matcher, "une dette de 2 billions d'euros", "fr", "amount") == {2e12}
    assert keys(matcher, "a debt of 2 billion euros", "en", "amount") == {2e9}


def test_it_reads_decimal_commas_and_thousands_dots_by_language(matcher):
    assert keys(matcher, "investasi sebesar $1,4 miliar", "id", "amount") == {1.4e9}
    assert keys(matcher, "sekitar 1.000 rak AI per minggu", "id", "number") == {1000}
    assert keys(matcher, "about 1,000 racks a week", "en", "number") == {1000}
    assert keys(matcher, "تضم 100 ألف وحدة", "ar", "amount") == {100_000}


@pytest.mark.parametrize(
    ("text", "language"),
    [("mencapai 17%", "id"), ("atteint 17 pour cent", "fr"), ("بلغت ١٧٪", "ar"), ("17 persen", "id")],
)
def test_it_reads_percentages(matcher, text, language):
    assert keys(matcher, text, language, "percent") == {17}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("en mars 2025", "fr"),
        ("pada Maret 2025", "id"),
        ("ففي مارس 2025،", "ar"),
        ("في آذار ٢٠٢٥", "ar"),
        ("in March 2025", "en"),
    ],
)
def test_it_reads_a_month_and_year_in_four_languages(matcher, text, language):
    assert keys(matcher, text, language, "year-month") == {(2025, 3)}
    assert keys(matcher, text, language, "year") == {2025}


def test_it_does_not_take_the_english_verb_may_for_a_month(matcher):
    assert keys(matcher, "OpenAI may sign the deal", "en", "month") == set()
    assert keys(matcher, "OpenAI signed in May 2025", "en", "year-month") == {(2025, 5)}


def test_it_does_not_count_the_day_of_a_date_as_a_number(matcher):
    assert keys(matcher, "laporan Reuters (10 Juni 2025)", "id", "number") == set()


def test_it_finds_registry_sources_by_alias_in_any_script(matcher):
    assert keys(matcher, "خدمات Azure التابعة لمايكروسوفت", "ar", "source") == {"microsoft"}
    assert keys(matcher, "مع Microsoft وOpenAI", "ar", "source") == {"microsoft", "openai"}
    assert keys(matcher, "Selon Reuters, cette coopération", "fr", "source") == {"reuters"}
    assert keys(matcher, "وقد أعلنت أوبن أي آي أنها ستعتمد على منصة جوجل", "ar", "source") == {"openai", "google"}


def test_it_finds_latin_names_but_not_words_capitalised_at_a_sentence_start(matcher):
    names = keys(matcher, "Cependant, Openai continue avec Coreweave. Selon Sam Altman, Azure reste.", "fr", "name")
    assert names == {"coreweave", "sam", "altman", "azure"}
    assert keys(matcher, "في صفقة مع شركة CoreWeave، المتخصصة", "ar", "name") == {"coreweave"}


def test_it_ranks_the_coreweave_claim_first_from_the_arabic_span(matcher):
    claims = [
        ClaimTexts("coreweave", (("L'accord d'environ 12 milliards de dollars avec Coreweave en mars.", "fr"),)),
        ClaimTexts("revenue", (("L'objectif de la fin de l'année est annoncé comme 12 milliards de dollars.", "fr"),)),
        ClaimTexts("google", (("OpenAI se prépare à utiliser l'infrastructure Google Cloud.", "fr"),)),
    ]
    arabic = "ففي مارس 2025، أعلنت الشركة عن توقيع اتفاق مع شركة CoreWeave في صفقة تبلغ قيمتها نحو 12 مليار دولار"

    matches = matcher.rank(arabic, "ar", claims)

    assert [m.claim for m in matches][:2] == ["coreweave", "revenue"]
    assert matches[0].score > matches[1].score
    assert "same amount: 12 billion USD" in matches[0].reasons
    assert "names: CoreWeave" in matches[0].reasons
    assert "same month: March" in matches[0].reasons


def test_it_hears_a_latin_name_written_in_arabic_script(matcher):
    claims = [
        ClaimTexts("altman", (("Sam Altman, PDG de la société, a déclaré en janvier", "fr"),)),
        ClaimTexts("google", (("OpenAI se prépare à utiliser Google Cloud", "fr"),)),
    ]
    matches = matcher.rank("نشر سام ألتمان رسالة عبر منصة X", "ar", claims)
    assert matches[0].claim == "altman"
    assert "names: Altman (التمان)" in matches[0].reasons


def test_it_compares_wording_only_within_a_language(matcher):
    claims = [ClaimTexts("same-words", (("la puissance inadéquate ralentit le développement des produits", "fr"),))]
    [match] = matcher.rank("la puissance inadéquate ralentit", "fr", claims)
    assert len(match.reasons) == 1
    assert match.reasons[0].startswith("similar wording in fr")
    assert matcher.rank("inadequate power slows the development of products", "en", claims) == []


def test_every_labelled_appearance_matches_its_seed_text_by_code_points():
    texts = {
        record["fields"]["external_id"]: record["fields"]["text"]
        for record in json.loads((ROOT / "fixtures" / "seed_articles.json").read_text(encoding="utf-8"))
    }
    labelled = load_labelled()
    assert len(labelled.appearances) >= 30
    assert {a.language for a in labelled.appearances} == {"id", "fr", "ar"}
    for appearance in labelled.appearances:
        assert check_span(texts[appearance.article], appearance.start, appearance.end, appearance.text)


def test_it_finds_the_right_claim_across_languages_at_least_as_often_as_promised(matcher):
    rates = evaluate(load_labelled(), matcher.rank)
    assert rates.queries >= 20
    assert rates.top1_rate >= 0.5
    assert rates.top3_rate >= 0.8
