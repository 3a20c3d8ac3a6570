"""The suggestion engine on its own: text, language and registry names in, suggestions out."""

from __future__ import annotations

import pytest

from annotations.offsets import check_span
from annotations.suggestions import SourceName, suggest, suggestion_id

REGISTRY = [
    SourceName("reuters", ("Reuters", "رويترز", "Thomson Reuters")),
    SourceName("cnbc", ("CNBC",)),
    SourceName("openai", ("OpenAI", "أوبن أي آي")),
    SourceName("microsoft", ("Microsoft", "مايكروسوفت")),
    SourceName("mint", ("Mint", "Livemint")),
]


def _by_label(suggestions, label):
    return [s for s in suggestions if s.label == label]


def _attribution(text, language):
    found = _by_label(suggest(text, language, REGISTRY), "attribution")
    assert len(found) == 1, found
    return found[0]


def _pair(text, language, attribution):
    return next(s for s in suggest(text, language, REGISTRY) if s.id == attribution.pair)


def test_it_finds_selon_with_its_source_and_the_clause_it_attributes():
    text = "Selon Reuters, la société a levé 3 milliards de dollars en mars."
    attribution = _attribution(text, "fr")
    assert (attribution.text, attribution.sources) == ("Selon Reuters", ["reuters"])
    assert _pair(text, "fr", attribution).text == "la société a levé 3 milliards de dollars en mars"


def test_it_finds_d_apres_written_with_a_curly_apostrophe():
    attribution = _attribution("D’après Reuters, les ventes ont doublé en 2024.", "fr")
    assert attribution.text == "D’après Reuters"
    assert attribution.sources == ["reuters"]


def test_it_finds_a_named_speaker_before_a_declare_with_an_apposition():
    text = "Satya Nadella, patron de Microsoft, a déclaré que les revenus augmenteront de 10 %."
    attribution = _attribution(text, "fr")
    assert attribution.text == "Satya Nadella, patron de Microsoft, a déclaré"
    assert attribution.sources == ["microsoft"]
    assert _pair(text, "fr", attribution).text == "les revenus augmenteront de 10 %"


def test_it_does_not_take_an_unnamed_subject_for_a_speaker():
    found = suggest("La société a déclaré que tout allait bien.", "fr", REGISTRY)
    assert _by_label(found, "attribution") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menurut laporan CNBC, unduhan naik 17% tahun ini.", "Menurut laporan CNBC"),
        (
            "Berdasarkan laporan Reuters (10 Juni 2025), OpenAI menandatangani perjanjian.",
            "Berdasarkan laporan Reuters",
        ),
    ],
)
def test_it_finds_indonesian_cues_before_the_source(text, expected):
    assert _attribution(text, "id").text == expected


def test_it_finds_kata_with_the_speaker_after_it_and_pairs_the_clause_before():
    text = "Harga beras naik 5 persen bulan ini, kata Budi Santoso."
    attribution = _attribution(text, "id")
    assert attribution.text == "kata Budi Santoso"
    assert _pair(text, "id", attribution).text == "Harga beras naik 5 persen bulan ini"


def test_it_finds_mengungkapkan_after_a_named_speaker():
    text = "Chairman Young Liu mengungkapkan bahwa perusahaan memproduksi 1.000 rak per minggu."
    attribution = _attribution(text, "id")
    assert attribution.text == "Chairman Young Liu mengungkapkan"
    assert _pair(text, "id", attribution).text == "perusahaan memproduksi 1.000 rak per minggu"


@pytest.mark.parametrize(
    "cue",
    ["بحسب", "وبحسب", "حسب", "وفقا لـ", "وفقًا لـ", "وفقـــا لـ", "نقلا عن", "نقلًا عن"],
)
def test_it_finds_arabic_cues_with_diacritics_tatweel_and_clitics(cue):
    text = f"{cue} رويترز، ارتفعت الأرباح بنسبة 20% في عام 2024."
    attribution = _attribution(text, "ar")
    assert attribution.text.startswith(cue.lstrip("و")) or attribution.text.startswith(cue)
    assert attribution.text.endswith("رويترز")
    assert attribution.sources == ["reuters"]
    assert _pair(text, "ar", attribution).text == "ارتفعت الأرباح بنسبة 20% في عام 2024"


def test_it_finds_an_arabic_source_written_with_a_clitic_and_other_alef_forms():
    text = "وأعلنت أوبن أي آي أنها ستعتمد على منصة جوجل في 2025."
    attribution = _attribution(text, "ar")
    assert attribution.text == "أعلنت أوبن أي آي"
    assert attribution.sources == ["openai"]
    assert _pair(text, "ar", attribution).text == "ستعتمد على منصة جوجل في 2025"


def test_it_finds_a_source_joined_to_the_arabic_preposition():
    attribution = _attribution("وفقا لرويترز، ارتفعت الأرباح بنسبة 20%.", "ar")
    assert attribution.sources == ["reuters"]


def test_it_finds_qala_with_the_speaker_named_earlier_in_the_sentence():
    text = "وفي أبريل الماضي، نشر سام ألتمان، الرئيس التنفيذي لـ OpenAI، رسالة قال فيها إن الشركة تحتاج 100 ألف وحدة."
    attribution = _attribution(text, "ar")
    assert attribution.text == "نشر سام ألتمان، الرئيس التنفيذي لـ OpenAI، رسالة قال فيها"
    assert attribution.sources == ["openai"]


@pytest.mark.parametrize(
    ("text", "attribution_text", "claim_text"),
    [
        (
            "According to Reuters, the company lost $2 billion in 2024.",
            "According to Reuters",
            "the company lost $2 billion in 2024",
        ),
        (
            "The company lost $2 billion in 2024, according to Reuters.",
            "according to Reuters",
            "The company lost $2 billion in 2024",
        ),
        (
            "Satya Nadella said that Microsoft will double its data centres by 2026.",
            "Satya Nadella said",
            "Microsoft will double its data centres by 2026",
        ),
        ("Sales rose 12% last year, Mint reported.", None, None),
    ],
)
def test_it_finds_english_attributions(text, attribution_text, claim_text):
    found = _by_label(suggest(text, "en", REGISTRY), "attribution")
    if attribution_text is None:
        # "Mint reported." names a speaker before the verb with nothing after it.
        assert [a.text for a in found] == ["Mint reported"]
        return
    attribution = found[0]
    assert attribution.text == attribution_text
    assert _pair(text, "en", attribution).text == claim_text


def test_it_does_not_take_mint_the_word_for_mint_the_outlet():
    found = suggest("According to the mint growers, prices rose 5% in May.", "en", REGISTRY)
    assert _by_label(found, "attribution")[0].sources == []


def test_it_suggests_sentences_with_numbers_money_percentages_and_dates_as_claims():
    text = (
        "Le marché est calme aujourd'hui ici.\n\n"
        "Les ventes ont atteint 12 milliards de dollars en mars 2025, soit 15 % de plus.\n\n"
        "Il fait beau sur toute la ville."
    )
    claims = _by_label(suggest(text, "fr", REGISTRY), "claim")
    assert [c.text for c in claims] == [
        "Les ventes ont atteint 12 milliards de dollars en mars 2025, soit 15 % de plus"
    ]
    assert "percentage" in claims[0].reason and "money" in claims[0].reason and "date" in claims[0].reason
    assert 0 < claims[0].score <= 1


def test_it_does_not_suggest_headings_or_list_markers_as_claims():
    text = "1. Tingkatkan Skala & Fleksibilitas Infrastruktur\n\nApa Alasan di Balik Kolaborasi Ini?"
    assert suggest(text, "id", REGISTRY) == []


def test_it_gives_every_suggestion_a_reason_a_score_and_a_stable_id():
    text = "Menurut laporan CNBC, unduhan model AI asal China mencapai 17% tahun ini."
    first = suggest(text, "id", REGISTRY)
    second = suggest(text, "id", REGISTRY)
    assert [s.as_dict() for s in first] == [s.as_dict() for s in second]
    for s in first:
        assert s.id == suggestion_id(s.label, s.start, s.end)
        assert s.reason
        assert 0 < s.score <= 1
        assert check_span(text, s.start, s.end, s.text) == s.text


def test_offsets_count_code_points_after_emoji_and_no_break_spaces():
    text = "🚀🚀 Intro.\r\nSelon\u00a0Reuters, les ventes ont\u00a0atteint 12\u202f% en 2025 😀."
    attribution = _attribution(text, "fr")
    assert text[attribution.start : attribution.end] == "Selon\u00a0Reuters"
    claim = _pair(text, "fr", attribution)
    assert text[claim.start : claim.end] == claim.text
    assert claim.text.startswith("les ventes")


def test_unknown_languages_use_every_language_s_cues():
    attribution = _attribution("Selon Reuters, les ventes ont doublé en 2024.", "und")
    assert attribution.sources == ["reuters"]
