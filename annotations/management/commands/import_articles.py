"""``manage.py import_articles PATH...``: load articles (and spans) through the import engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.importing import FORMATS, SUFFIXES, ImportFileError, ImportSummary, import_file
from annotations.models import SEED_PROJECT, Label, Project
from annotations.text import is_language_tag


class Command(BaseCommand):
    help = (
        "Import articles from .txt, .html, .jsonl (doccano, Label Studio tasks or workbench export records), "
        "Label Studio .json exports and .csv files. Idempotent on external_id; each file is imported whole "
        "or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, or folders of files, to import.")
        parser.add_argument(
            "--format", default="auto", choices=FORMATS, help="File format (default: from each file's suffix)."
        )
        parser.add_argument(
            "--project", default=SEED_PROJECT, help="Slug of the project to import into (default: seed)."
        )
        parser.add_argument("--language", help="BCP 47 tag for records that do not give one (e.g. id, fr, ar).")
        parser.add_argument("--annotator", help="Username that owns imported spans (needed when a file has spans).")
        parser.add_argument("--label", help="Label slug for imported spans that carry no label.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back.")
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (there is none unless stderr is a terminal)."
        )

    def handle(self, *args, paths, project, format, language, annotator, label, dry_run, no_progress, **options):
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
            labels = Label.objects.filter(project=target, retired=False)
            default_label = labels.filter(slug=label).first()
            if default_label is None:
                known = ", ".join(labels.values_list("slug", flat=True))
                raise CommandError(f"--label: unknown label {label!r} (known: {known}).")

        show_progress = not no_progress and options["verbosity"] > 0 and self.stderr.isatty()
        total = ImportSummary()
        failures: list[str] = []
        files, refused = self._files(paths)
        for message in refused:
            failures.append(message)
            self.stderr.write(f"{message} (not imported)")
        for path in files:
            try:
                with self._progress(path, show_progress) as progress:
                    summary = import_file(
                        path,
                        project=target,
                        format=format,
                        language=language,
                        annotator=user,
                        label=default_label,
                        dry_run=dry_run,
                        progress=progress,
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

    def _progress(self, path: Path, show: bool):
        return _ProgressBar(str(path), self.stderr._out if show else None)

    def _files(self, paths: list[str]) -> tuple[list[Path], list[str]]:
        """The files to import, and a message for each link in a folder that leads out of it."""
        files: list[Path] = []
        refused: list[str] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                folder = path.resolve()
                found = []
                for entry in sorted(path.iterdir()):
                    if entry.suffix.lower() not in SUFFIXES or not entry.is_file():
                        continue
                    # A link inside a folder is followed only to a file inside that folder:
                    # importing a folder never reads /etc/hostname through link.txt.
                    if entry.is_symlink() and not entry.resolve().is_relative_to(folder):
                        refused.append(f"{entry}: a link to a file outside {raw}; not followed.")
                        continue
                    found.append(entry)
                if not found and not refused:
                    raise CommandError(f"{raw}: no {', '.join(sorted(SUFFIXES))} files in this folder.")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder.")
        return files, refused


class _ProgressBar:
    """A tqdm bar on a terminal (records of one file); nothing otherwise."""

    def __init__(self, name: str, stream):
        self.name = name
        self.stream = stream
        self.bar: Any = None

    def __enter__(self):
        return self.update if self.stream is not None else None

    def update(self, processed: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.name, unit=" records", file=self.stream, leave=True)
        self.bar.total = total
        self.bar.n = processed
        self.bar.refresh()

    def __exit__(self, *exc_info):
        if self.bar is not None:
            self.bar.close()
