"""Agreement over stored spans: the API, the page and the command give the same figures."""

import json
from io import StringIO

import krippendorff
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Article, Completion
from annotations.services import annotation_delete
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(vocabulary):
    return Article.objects.create(external_id="second", title="Deux", text="Le ciel est bleu. Il pleut.", language="fr")


@pytest.fixture
def work(article, second, alice, bob, carol, rita, mark):
    mark(article, alice, 15, 40, claim_type="event", checkworthy=True, verdict="true")
    mark(article, alice, 0, 13, "attribution")
    mark(article, bob, 15, 40, claim_type="event", checkworthy=False)
    mark(article, bob, 43, 81, claim_type="quantity")
    annotation_delete(annotation=mark(article, bob, 0, 13, "attribution"))  # deleted: not counted
    mark(article, rita, 43, 81, is_gold=True)  # gold: not counted
    mark(second, alice, 0, 17)
    mark(second, carol, 0, 17)
    Completion.objects.create(article=second, annotator=bob)  # bob read it and found nothing


def get(user, **params):
    response = api_client(user).get("/api/agreement/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_reports_each_pair_with_the_counts_behind_each_figure(article, work, rita):
    report = get(rita, article=article.pk)
    assert report["articles"] == [article.pk]
    assert report["annotators"] == ["alice", "bob"]
    assert report["labels"] == ["claim", "attribution"]
    (pair,) = report["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("alice", "bob", 1)
    # alice: claim [15,40) + attribution [0,13); bob: claim [15,40) + claim [43,81)
    # one exact match of two spans each: P = R = F1 = 1/2
    half = {"precision": 0.5, "recall": 0.5, "f1": 0.5, "matches": 1, "n_a": 2, "n_b": 2}
    assert pair["exact"] == half
    assert pair["overlap"] == half
    # the one matched claim pair: claim_type (event, event) is a single category → undefined
    claim_type = pair["kappa"]["claim_type"]
    assert claim_type["value"] is None and claim_type["n"] == 1 and claim_type["reason"]
    # checkworthy (True, False): two categories, no agreement → po 0, pe 0 → kappa 0
    assert pair["kappa"]["checkworthy"] == {"value": 0.0, "n": 1}


def test_the_label_filter_keeps_only_those_spans(article, work, rita):
    (pair,) = get(rita, article=article.pk, label="claim")["pairs"]
    # alice 1 claim, bob 2: P = 1/2, R = 1/1, F1 = 2/3
    assert pair["exact"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": pytest.approx(2 / 3),
        "matches": 1,
        "n_a": 1,
        "n_b": 2,
    }


def test_a_pair_is_compared_on_the_articles_both_worked_on(article, second, work, rita):
    report = get(rita)
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert sorted(pairs) == [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    # alice and carol share only the second article, where they agree exactly
    assert pairs["alice", "carol"]["articles"] == 1
    assert pairs["alice", "carol"]["exact"]["f1"] == 1.0
    # bob marked the second article done without spans: it counts, and carol's span is unmatched
    assert pairs["bob", "carol"]["articles"] == 1
    assert pairs["bob", "carol"]["exact"] == {
        "precision": 0.0,
        "recall": None,
        "f1": 0.0,
        "matches": 0,
        "n_a": 0,
        "n_b": 1,
        "reason": "A has no spans: recall is undefined.",
    }


def test_the_annotator_filter_limits_the_pairs_and_alphas(work, rita):
    report = get(rita, annotator="alice,carol")
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("alice", "carol")]
    assert report["annotators"] == ["alice", "carol"]


def test_character_alpha_matches_the_krippendorff_package_on_the_same_data(article, work, rita):
    report = get(rita, article=article.pk, label="attribution")
    n = len(article.text)
    alice = [1 if i < 13 else 0 for i in range(n)]
    bob = [0] * n  # bob's attribution span was deleted
    expected = krippendorff.alpha(reliability_data=[alice, bob], level_of_measurement="nominal")
    assert report["alpha"]["characters"] == {"attribution": {"value": pytest.approx(expected), "n": n}}


def test_every_figure_is_a_fraction_or_null_and_the_json_has_no_nan(work, rita):
    response = api_client(rita).get("/api/agreement/")
    json.loads(response.content, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    report = response.json()
    for pair in report["pairs"]:
        for kind in ("exact", "overlap"):
            for name in ("precision", "recall", "f1"):
                value = pair[kind][name]
                assert value is None or 0 <= value <= 1
        for figure in pair["kappa"].values():
            assert figure["value"] is None or -1 <= figure["value"] <= 1
            assert isinstance(figure["n"], int)
    for name in ("claim_type", "checkworthy", "verdict"):
        figure = report["alpha"][name]
        assert set(figure) in ({"value", "n"}, {"value", "n", "reason"})
        assert figure["value"] is None or -1 <= figure["value"] <= 1
    for figure in report["alpha"]["characters"].values():
        assert figure["value"] is None or -1 <= figure["value"] <= 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"article": "abc"}, "article"),
        ({"article": "²"}, "article"),
        ({"article": "999999"}, "article"),
        ({"label": "rumour"}, "label"),
        ({"annotator": "alice,nobody"}, "annotator"),
    ],
)
def test_bad_filters_answer_400_with_a_message_per_field(work, rita, params, field):
    response = api_client(rita).get("/api/agreement/", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_it_makes_the_same_number_of_queries_whatever_the_corpus_size(article, second, work, rita, mark, alice, bob):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_client(rita).get("/api/agreement/").status_code == 200
        return len(queries)

    count()  # the first request also looks up rita's groups (cached on the user afterwards)
    # who worked on what (spans, completions), the spans, the text lengths, the labels, the relations
    before = count()
    assert before == 6
    for i in range(5):
        extra = Article.objects.create(external_id=f"x{i}", title="x", text="Une phrase de plus.", language="fr")
        mark(extra, alice, 0, 10)
        mark(extra, bob, 4, 12, claim_type="event")
    assert count() == before


def test_the_page_shows_the_table_and_reports_bad_filters(client, article, work, rita):
    client.force_login(rita)
    html = client.get("/review/agreement/", {"article": article.pk, "label": "claim"}).content.decode()
    assert 'data-pair="alice:bob"' in html
    assert 'data-figure="exact-f1">0.667 <small>(1/1/2)</small>' in html
    assert 'data-alpha="characters-claim"' in html
    response = client.get("/review/agreement/", {"article": "1,x"})
    assert response.status_code == 400
    assert "is not an id" in response.content.decode()


def test_the_command_prints_the_same_figures(article, work):
    out = StringIO()
    call_command("agreement", "--article", str(article.pk), "--label", "claim", stdout=out)
    text = out.getvalue()
    line = next(row for row in text.splitlines() if row.startswith("alice"))
    assert line.split()[:7] == ["alice", "bob", "1", "0.500", "1.000", "0.667", "1/1/2"]
    out = StringIO()
    call_command("agreement", "--article", str(article.pk), "--json", stdout=out)
    assert json.loads(out.getvalue())["pairs"][0]["exact"]["f1"] == 0.5


def test_the_command_refuses_unknown_filters(work):
    with pytest.raises(CommandError, match="--label: Unknown label"):
        call_command("agreement", "--label", "rumour", stdout=StringIO())
