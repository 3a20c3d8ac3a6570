"""The export page in a browser: the form's submit is the download, with the filters applied."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.export.renderers import pseudonym
from annotations.models import Article

pytestmark = pytest.mark.browser


@pytest.fixture
def two_languages(alice, bob):
    french = Article.objects.create(
        external_id="fr-1", title="Selon Reuters", text="Selon Reuters, le café coûte 12 € 🎉.", language="fr"
    )
    arabic = Article.objects.create(
        external_id="ar-1", title="رويترز", text="قالت رويترز إن الشركة ستستثمر.", language="ar"
    )
    for article in (french, arabic):
        for user, (start, end) in ((alice, (0, 5)), (bob, (6, 12))):
            services.annotation_create(article=article, annotator=user, start=start, end=end, label="claim")
    return french, arabic


def test_the_form_downloads_the_corpus_with_the_chosen_filters(open_page, rita, two_languages, tmp_path):
    french, _arabic = two_languages
    page = open_page(rita)
    page.goto("/")
    page.get_by_role("link", name="Export").click()
    expect(page).to_have_url(re.compile(r"/projects/seed/export/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Export")

    page.get_by_label("Format").select_option("jsonl")
    page.get_by_label("Language").select_option("fr")
    page.get_by_label("Annotator").select_option("alice")
    page.get_by_label("Anonymise").check()
    page.screenshot(path=str(tmp_path / "export-page.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert re.fullmatch(r"factcheck-jsonl-\d{4}-\d{2}-\d{2}\.jsonl", download.suggested_filename)

    data = Path(download.path()).read_bytes()
    assert data.endswith(b"\n")
    records = [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
    assert [record["external_id"] for record in records] == [french.external_id]
    assert records[0]["project"] == "seed" and records[0]["text"] == french.text
    spans = records[0]["annotations"]
    assert [(span["start"], span["end"]) for span in spans] == [(0, 5)]
    assert {span["annotator"] for span in spans} == {pseudonym("alice")}
    # Still on the export page: a download does not navigate away.
    expect(page).to_have_url(re.compile(r"/projects/seed/export/$"))
