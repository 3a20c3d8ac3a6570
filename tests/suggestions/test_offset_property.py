"""No suggestion ever fails the offset rule, on the seeds or on generated text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.offsets import check_span
from annotations.suggestions import LANGUAGES, suggest
from annotations.suggestions.quality import load_seeds, load_sources
from tests.reliability.fuzz import FUZZ

SEEDS = load_seeds()
SOURCES = load_sources()

# Pieces the engine reacts to, and pieces that shift code points against UTF-16 units or
# bytes: emoji (outside the BMP, with ZWJ and skin tones), NBSP, CRLF, Arabic marks, tatweel.
PIECES = [
    "Selon Reuters, ",
    "D’après رويترز، ",
    "Menurut laporan CNBC, ",
    "kata Budi Santoso.",
    "وأعلنت أوبن أي آي أنها ",
    "وفقـًا لـرويترز، ",
    "بحسب ",
    "Sam Altman, PDG d'OpenAI, a déclaré que ",
    "according to Reuters",
    " said that ",
    "12 milliards de dollars",
    "17%",
    "$1,4 miliar",
    "en mars 2025",
    "١٢ مليار دولار",
    "😀",
    "👩🏽‍💻",
    "🇫🇷",
    "\u00a0",
    "\u202f",
    "\r\n",
    "\r",
    "\n\n",
    ". ",
    "، ",
    "ـ",
    "\u064b",
    "\u0651",
    "\u200d",
    "\u00ad",
    " ",
]
generated_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
    max_size=40,
).map("".join)


def _assert_offsets_hold(text: str, language: str) -> None:
    suggestions = suggest(text, language, SOURCES)
    ids = {s.id for s in suggestions}
    for s in suggestions:
        assert check_span(text, s.start, s.end, s.text) == s.text
        assert s.text == s.text.strip()
        assert s.pair is None or s.pair in ids


def test_no_suggestion_on_the_seeds_fails_the_offset_rule():
    for fields in SEEDS.values():
        _assert_offsets_hold(fields["text"], fields["language"])


def test_no_suggestion_on_the_seeds_written_with_crlf_and_nbsp_fails_the_offset_rule():
    for fields in SEEDS.values():
        _assert_offsets_hold(fields["text"].replace("\n", "\r\n").replace(" ", "\u00a0", 50), fields["language"])


@FUZZ
@given(text=generated_text, language=st.sampled_from([*LANGUAGES, "und"]))
def test_no_suggestion_on_generated_text_fails_the_offset_rule(text, language):
    _assert_offsets_hold(text, language)


@FUZZ
@given(
    seed=st.sampled_from(sorted(SEEDS)),
    cut=st.integers(min_value=0, max_value=4000),
    insert=st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
)
def test_no_suggestion_on_a_seed_with_emoji_nbsp_or_crlf_spliced_in_fails_the_offset_rule(seed, cut, insert):
    fields = SEEDS[seed]
    text = fields["text"]
    cut = min(cut, len(text))
    _assert_offsets_hold(text[:cut] + insert + text[cut:], fields["language"])
