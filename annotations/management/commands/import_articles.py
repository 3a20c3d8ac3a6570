"""``manage.py import_articles PATH...``: load articles (and spans) from .txt, .html and .jsonl files."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.importer import SUFFIXES, ImportFileError, ImportSummary, import_file
from annotations.models import SEED_PROJECT, Label, Project
from annotations.text import is_language_tag


class Command(BaseCommand):
    help = (
        "Import articles from .txt, .html and .jsonl files (doccano, Label Studio or workbench export records). "
        "Idempotent on external_id; each file is imported whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, or folders of files, to import.")
        parser.add_argument("--language", help="BCP 47 tag for records that do not give one (e.g. id, fr, ar).")
        parser.add_argument("--annotator", help="Username that owns imported spans (needed when a file has spans).")
        parser.add_argument("--label", help="Label slug for imported spans that carry no label.")
        parser.add_argument(
            "--project", default=SEED_PROJECT, help="Slug of the project to import into (default seed)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back.")

    def handle(self, *args, paths, language, annotator, label, dry_run, project, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"--project: there is no project {project!r}.")
        if language is not None and not is_language_tag(language):
            raise CommandError(f"--language {language!r} is not a BCP 47 language tag (e.g. id, fr, ar).")
        user = None
        if annotator is not None:
            user = get_user_model().objects.filter(username=annotator).first()
            if user is None:
                raise CommandError(f"--annotator: there is no user named {annotator!r}.")
        default_label = None
        if label is not None:
            default_label = Label.objects.filter(project=target, slug=label).first()
            if default_label is None:
                known = ", ".join(Label.objects.filter(project=target).values_list("slug", flat=True))
                raise CommandError(f"--label: unknown label {label!r} (known: {known}).")

        total = ImportSummary()
        failures: list[str] = []
        for path in self._files(paths):
            try:
                summary = import_file(
                    path, language=language, annotator=user, label=default_label, dry_run=dry_run, project=target
                )
            except ImportFileError as exc:
                failures.append(str(exc))
                self.stderr.write(f"{exc} (nothing imported from this file)")
                continue
            total += summary
            self.stdout.write(f"{path}: {summary}")
        prefix = "Dry run, nothing written. Would have: " if dry_run else "Total: "
        self.stdout.write(f"{prefix}{total}")
        if failures:
            raise CommandError("\n".join(failures))

    def _files(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
                if not found:
                    raise CommandError(f"{raw}: no {', '.join(sorted(SUFFIXES))} files in this folder.")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder.")
        return files
