"""Hand articles to annotators so that each gets N distinct annotators, least-loaded first."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.models import Article
from annotations.review.workflow import assign_articles, resolve_annotators


class Command(BaseCommand):
    help = (
        "Assign articles to annotators: every article gets --per-article distinct annotators (default: its "
        "project's annotators_per_article), chosen "
        "among those with the fewest assignments (ties by username). Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--per-article",
            type=int,
            default=None,
            help="Annotators per article (default: each article's project's annotators_per_article).",
        )
        parser.add_argument("--annotators", required=True, help="Comma-separated usernames, e.g. ana,budi,chloe.")
        parser.add_argument("--articles", help="Comma-separated article ids (default: every article).")
        parser.add_argument("--language", help="Only articles in this language (BCP 47 tag, e.g. fr).")

    def handle(
        self, *args, per_article: int | None, annotators: str, articles: str | None, language: str | None, **options
    ):
        try:
            users = resolve_annotators(annotators.split(","))
        except ValidationError as exc:
            raise CommandError(f"--annotators: {' '.join(exc.message_dict['annotators'])}") from None
        if per_article is not None and per_article < 1:
            raise CommandError("--per-article must be at least 1.")
        if per_article is not None and per_article > len(users):
            raise CommandError(
                f"--per-article is {per_article} but only {len(users)} annotator(s) were given "
                f"({', '.join(u.username for u in users)}): each article needs distinct annotators."
            )
        queryset = Article.objects.order_by("id")
        if articles:
            ids = []
            for item in (part.strip() for part in articles.split(",")):
                if not (item.isascii() and item.isdigit() and len(item) <= 18):
                    raise CommandError(f"--articles: {item!r} is not an article id.")
                ids.append(int(item))
            known = set(Article.objects.filter(id__in=ids).values_list("id", flat=True))
            unknown = [str(i) for i in ids if i not in known]
            if unknown:
                raise CommandError(f"--articles: unknown article id(s): {', '.join(unknown)}.")
            queryset = queryset.filter(id__in=ids)
        if language:
            queryset = queryset.filter(language=language)
        selected = list(queryset)
        if not selected:
            raise CommandError("No article matches the selection.")
        try:
            result = assign_articles(articles=selected, annotators=users, per_article=per_article)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Created {len(result.created)} assignment(s) over {len(selected)} article(s) "
            f"({f'{per_article} annotator(s) each' if per_article else 'as many as each project sets'})."
        )
        for name, count in result.load.items():
            self.stdout.write(f"  {name}: {count} article(s) assigned")
