"""Print inter-annotator agreement (the same figures as GET /api/agreement/)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.review.agreement import AGREEMENT_FIELDS, agreement_report, parse_selection


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Agreement between annotators: precision/recall/F1 per pair (exact and overlap matching), "
        "Cohen's kappa and Krippendorff's alpha for claim fields, character-level alpha per label."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", action="append", help="Article id(s), comma-separated; repeatable.")
        parser.add_argument("--label", action="append", help="Label slug(s), comma-separated; repeatable.")
        parser.add_argument("--annotator", action="append", help="Usernames, comma-separated; repeatable.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON instead of tables."
        )

    def handle(self, *args, article, label, annotator, as_json: bool, **options):
        try:
            selection = parse_selection(article=article, label=label, annotator=annotator)
        except ValidationError as exc:
            raise CommandError(
                " ".join(f"--{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
            ) from None
        report = agreement_report(selection)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{len(report['articles'])} article(s); annotators: {', '.join(report['annotators']) or 'none'}; "
            f"labels: {', '.join(report['labels'])}"
        )
        header = ["A", "B", "art", "exact P", "R", "F1", "m/nA/nB", "overlap P", "R", "F1", "m/nA/nB"]
        header += [f"κ {field}" for field in AGREEMENT_FIELDS]
        rows = []
        for pair in report["pairs"]:
            row = [pair["a"], pair["b"], str(pair["articles"])]
            for kind in ("exact", "overlap"):
                m = pair[kind]
                row += [_fmt(m["precision"]), _fmt(m["recall"]), _fmt(m["f1"]), f"{m['matches']}/{m['n_a']}/{m['n_b']}"]
            row += [f"{_fmt(pair['kappa'][f]['value'])} (n={pair['kappa'][f]['n']})" for f in AGREEMENT_FIELDS]
            rows.append(row)
        self.stdout.write("")
        self.stdout.write("Pairs (A = reference, B = prediction)")
        self._table(header, rows)
        alpha_rows = [[f"claim {field}", _fmt(a["value"]), str(a["n"]), a.get("reason", "")] for field, a in (
            (f, report["alpha"][f]) for f in AGREEMENT_FIELDS)]  # fmt: skip
        alpha_rows += [
            [f"characters {label}", _fmt(a["value"]), str(a["n"]), a.get("reason", "")]
            for label, a in report["alpha"]["characters"].items()
        ]
        self.stdout.write("")
        self.stdout.write("Krippendorff's alpha (nominal, all annotators)")
        self._table(["units", "alpha", "n", "note"], alpha_rows)

    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        if not rows:
            self.stdout.write("  (nothing to compare: fewer than two annotators)")
            return
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for r in [header, *rows]:
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip())
