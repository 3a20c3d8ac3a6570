"""Export the annotated corpus (everyone's annotations) as JSON Lines.

Same records and bytes as ``GET /api/export/`` for a reviewer; see docs/export.md.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.export import DEFAULT_CHUNK_SIZE, FORMATS, LAYERS, export_chunks, parse_export_options
from annotations.export.card import dataset_card
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Export the annotated corpus as JSON Lines (jsonl, doccano, spans, w3c; claims, claimreview, averitec), "
        "everyone's annotations; --card writes the dataset card instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", default="jsonl", help=f"One of {', '.join(FORMATS)} (default jsonl).")
        parser.add_argument("--output", "-o", help="Write to this file (default: standard output).")
        parser.add_argument("--project", help="Only this project's articles or claims (its slug, e.g. seed).")
        parser.add_argument("--language", help="Only articles in this language (BCP 47 tag, e.g. fr).")
        parser.add_argument("--annotator", help="Only this annotator's spans (username).")
        parser.add_argument("--label", help="Only spans with this label (slug).")
        parser.add_argument(
            "--since", help="Only spans updated at or after this ISO 8601 timestamp; other articles are left out."
        )
        parser.add_argument("--article", help="Only these article ids, comma-separated (e.g. 3,17).")
        parser.add_argument("--anonymize", action="store_true", help="Stable pseudonyms instead of usernames.")
        parser.add_argument("--no-empty", action="store_true", help="Leave out articles without exported spans.")
        parser.add_argument(
            "--metadata", action="store_true", help="jsonl: add each article's metadata (for lossless re-import)."
        )
        parser.add_argument("--layer", default="annotations", help=f"One of {', '.join(LAYERS)}.")
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help="Articles read per query.")
        parser.add_argument("--claim", help="Claim formats: only these claim ids, comma-separated.")
        parser.add_argument(
            "--card", action="store_true", help="Write the Hugging Face dataset card (docs/dataset-card.md, filled)."
        )

    def handle(self, *args, **opts):
        params = {
            "format": opts["format"],
            "project": opts["project"],
            "language": opts["language"],
            "annotator": opts["annotator"],
            "label": opts["label"],
            "since": opts["since"],
            "article": opts["article"],
            "anonymize": "1" if opts["anonymize"] else None,
            "include_empty": "0" if opts["no_empty"] else None,
            "layer": opts["layer"],
            "metadata": "1" if opts["metadata"] else None,
            "claim": opts["claim"],
        }
        try:
            options = parse_export_options(params)
        except ValidationError as exc:
            raise CommandError(
                " ".join(f"{name}: {message}" for name, messages in exc.message_dict.items() for message in messages)
            ) from None
        if options.project is not None and not Project.objects.filter(slug=options.project).exists():
            raise CommandError(f"project: unknown project {options.project!r}.")
        if opts["chunk_size"] < 1:
            raise CommandError("chunk-size: must be at least 1.")
        if opts["card"]:
            chunks = iter([dataset_card(project=options.project).encode()])
        else:
            chunks = export_chunks(options, user=None, chunk_size=opts["chunk_size"])
        output = opts["output"]
        if output and output != "-":
            self._write_file(Path(output), chunks)
            return
        binary = getattr(self.stdout, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                self.stdout.write(chunk.decode(), ending="")
        if binary is not None:
            binary.flush()
        self.stdout.flush()

    def _write_file(self, path: Path, chunks) -> None:
        # Write beside the target and rename: a failed export never leaves half a file.
        directory = path.parent if str(path.parent) else Path()
        if not directory.is_dir():
            raise CommandError(f"output: directory {directory} does not exist.")
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it 0600; give it a normal file's mode
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
