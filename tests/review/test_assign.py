"""assign_articles: N distinct annotators per article, least-loaded first, idempotent."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Article, Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(vocabulary):
    return [
        Article.objects.create(
            external_id=f"a{i}", title=f"Article {i}", text=f"Text {i}.", language="fr" if i < 3 else "id"
        )
        for i in range(5)
    ]


def run(*args) -> str:
    out = StringIO()
    call_command("assign_articles", *args, stdout=out)
    return out.getvalue()


def loads() -> Counter:
    return Counter(Assignment.objects.values_list("annotator__username", flat=True))


def test_it_balances_five_articles_two_each_over_three_annotators(five, alice, bob, carol):
    output = run("--per-article", "2", "--annotators", "alice,bob,carol")
    assert Assignment.objects.count() == 10
    for article in five:
        people = list(Assignment.objects.filter(article=article).values_list("annotator__username", flat=True))
        assert len(people) == len(set(people)) == 2
    counts = loads()
    assert max(counts.values()) - min(counts.values()) <= 1
    # ties go to the username that sorts first, so the result is always the same
    assert counts == {"alice": 4, "bob": 3, "carol": 3}
    assert "Created 10 assignment(s) over 5 article(s)" in output
    assert "alice: 4" in output


def test_running_it_again_changes_nothing(five, alice, bob, carol):
    run("--per-article", "2", "--annotators", "alice,bob,carol")
    before = set(Assignment.objects.values_list("article_id", "annotator_id"))
    output = run("--per-article", "2", "--annotators", "carol,bob,alice")
    assert "Created 0 assignment(s)" in output
    assert set(Assignment.objects.values_list("article_id", "annotator_id")) == before


def test_existing_work_counts_toward_the_load(five, alice, bob, carol):
    for article in five[:3]:
        Assignment.objects.create(article=article, annotator=alice)
    run("--per-article", "1", "--annotators", "alice,bob,carol", "--articles", ",".join(str(a.pk) for a in five[3:]))
    # the first three already have alice; the last two go to the least-loaded: bob, then carol
    assert loads() == {"alice": 3, "bob": 1, "carol": 1}


def test_raising_per_article_tops_articles_up(five, alice, bob, carol):
    run("--per-article", "1", "--annotators", "alice,bob,carol")
    run("--per-article", "3", "--annotators", "alice,bob,carol")
    assert Assignment.objects.count() == 15
    assert loads() == {"alice": 5, "bob": 5, "carol": 5}


def test_it_selects_articles_by_id_and_language(five, alice, bob):
    run("--per-article", "2", "--annotators", "alice,bob", "--language", "fr")
    assert set(Assignment.objects.values_list("article__language", flat=True)) == {"fr"}
    assert Assignment.objects.count() == 6
    run("--per-article", "1", "--annotators", "alice,bob", "--articles", str(five[4].pk))
    assert list(Assignment.objects.filter(article=five[4]).values_list("annotator__username", flat=True)) == ["alice"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--per-article", "2", "--annotators", "alice,zoe,yann"], "Unknown or inactive user(s): zoe, yann"),
        (["--per-article", "3", "--annotators", "alice,bob"], "--per-article is 3 but only 2 annotator(s)"),
        (["--per-article", "0", "--annotators", "alice,bob"], "--per-article must be at least 1"),
        (["--annotators", "alice,bob", "--articles", "1,x"], "'x' is not an article id"),
        (["--annotators", "alice,bob", "--articles", "999999"], "unknown article id(s): 999999"),
        (["--annotators", "alice,bob", "--language", "xx"], "No article matches"),
        (["--annotators", " , "], "Name at least one annotator"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(five, alice, bob, args, message):
    with pytest.raises(CommandError, match=None) as error:
        run(*args)
    assert message in str(error.value)
    assert not Assignment.objects.exists()


def test_an_inactive_user_is_refused(five, alice, bob):
    bob.is_active = False
    bob.save()
    with pytest.raises(CommandError, match="Unknown or inactive user"):
        run("--per-article", "1", "--annotators", "alice,bob")


def test_without_per_article_each_article_gets_its_projects_annotators_per_article(
    five, seed_project, alice, bob, carol
):
    seed_project.annotators_per_article = 3
    seed_project.save()
    run("--annotators", "alice,bob,carol")
    per_article = Counter(Assignment.objects.values_list("article_id", flat=True))
    assert per_article == {article.pk: 3 for article in five}


def test_without_per_article_a_project_needing_more_annotators_than_given_is_refused(five, seed_project, alice, bob):
    seed_project.annotators_per_article = 3
    seed_project.save()
    with pytest.raises(CommandError, match="per_article is 3 but only 2 annotator"):
        run("--annotators", "alice,bob")
    assert not Assignment.objects.exists()
