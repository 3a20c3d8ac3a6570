"""Annotate page speed: how long until a long article is ready, and how fast a save shows.

Run by hand (not part of the test suite), from the project folder after ``bin/install test``:

    .venv/bin/python -m bench.ui                       # 100,000 words; 1,000, 2,000 and 5,000 spans
    .venv/bin/python -m bench.ui --spans 100,1000 --words 20000 --repeat 5

It creates a throwaway SQLite database with one article of ``--words`` words (with a
few emoji, so the code point conversion is exercised) and, per row of the table, a
user with that many spans on it (overlapping, some with source links), plus a user with
none: the baseline, measured in the same run. It collects the static files, starts
gunicorn on 127.0.0.1 and drives Debian's chromium headless:

* ready: from navigation start to ``annotator:ready`` (text and highlights drawn, the
  page answers to selections), measured in the page with performance.now(); the
  median of ``--repeat`` fresh loads (the first one warms the server). ``x base`` is
  ready divided by the baseline's ready (the same article with no spans).
* create / edit: a text selection tagged with the "c" key, then a note saved from the
  panel's Save button; the page marks the server's answer and the moment the highlight,
  list and panel are updated (including the layout that follows): ``annotator:update``.
  The round trip to the server (``annotator:server``) is shown for comparison.
* page KB: the HTML as sent (most of it the embedded JSON); heap: the page's peak
  JavaScript heap (Chrome's JSHeapUsedSize, read after every load and every save);
  elements: the DOM elements just after a load (later blocks are drawn as they scroll in);
  suggestions: the page's request for its suggestions, sent once it is ready (not part
  of ready; the bench waits for it before measuring saves).

Targets: ready < 1 s with 5,000 spans on 100,000 words; update < 16 ms (one frame) after
the server answers.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Words the generated article is made of (French, Indonesian, Arabic, numbers).
VOCABULARY = (
    "la le de des un une et en pour selon Reuters a signé accord milliards dollars avec Google Cloud OpenAI "
    "kemitraan komputasi perjanjian laporan pasar model data pusat chip kapasitas infrastruktur strategis "
    "الشركة جوجل السحابية الذكاء الاصطناعي 2025 12 100 000"
)
WORDS = VOCABULARY.split()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_text(words: int, rng: random.Random) -> str:
    out = []
    for n in range(words):
        word = rng.choice(WORDS)
        if n % 997 == 0:
            word += " 🎉"  # non-BMP characters: offsets differ between Python and the browser
        out.append(word)
        if n % 90 == 89:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n")


def setup_django(workdir: Path) -> None:
    os.environ["SQLITE_PATH"] = str(workdir / "db.sqlite3")
    os.environ["FACTCHECK_VAR_DIR"] = str(workdir)
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("loaddata", "fixtures/sources.json", verbosity=0)


def seed(words: int, span_counts: list[int], rng: random.Random) -> tuple[int, dict[int, str]]:
    """One article; per span count a user owning that many spans. Returns ids and session keys."""
    from django.contrib.auth.models import User
    from django.test import Client

    from annotations.models import Annotation, Article, Label, Source, SourceLink
    from annotations.projects.services import membership_set

    text = make_text(words, rng)
    article = Article.objects.create(external_id="bench-ui", title="Benchmark article", text=text, language="fr")
    labels = list(Label.objects.filter(project=article.project))
    sources = list(Source.objects.all()[:5])
    # Spans start and end at word boundaries (code point offsets, as the API stores them).
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == " "]
    sessions = {}
    for count in span_counts:
        user = User.objects.create_user(f"bench{count}")
        membership_set(project=article.project, user=user, role="annotator")
        spans = []
        for _ in range(count):
            first = rng.randrange(len(starts) - 20)
            start = starts[first]
            end = starts[first + rng.randint(2, 15)] - 1
            spans.append(
                Annotation(
                    article=article,
                    annotator=user,
                    start=start,
                    end=end,
                    text=text[start:end],
                    label=rng.choice(labels),
                    note="bench",
                )
            )
        Annotation.objects.bulk_create(spans)
        SourceLink.objects.bulk_create(
            SourceLink(annotation=span, source=rng.choice(sources), relation="attributed") for span in spans[::3]
        )
        client = Client()
        client.force_login(user)
        sessions[count] = client.cookies["sessionid"].value
    return article.pk, sessions


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


# Scroll a paragraph into view as a reader would (the n-th long one), let the page draw it,
# then select a few words of it that no span covers yet (or any, if every word is taken).
SCROLL_TO_PARAGRAPH = """
async (n) => {
  const root = document.querySelector('[data-testid=article-text]');
  const long = [...root.children].filter((block) => block.textContent.length > 200);
  const block = long[(n * 37) % long.length];
  block.scrollIntoView({ block: 'center' });
  for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  window.__benchBlock = block;
}
"""

SELECT_IN_PARAGRAPH = """
() => {
  const block = window.__benchBlock;
  const texts = [...block.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE);
  const node = texts.find((t) => t.data.length > 40) || block.querySelector('mark').firstChild;
  const start = node.data.indexOf(' ', 5) + 1;
  let end = node.data.indexOf(' ', start + 12);
  if (end < 0) end = node.data.length;
  document.getSelection().setBaseAndExtent(node, start, node, end);
}
"""


# The page asks for its suggestions after it is ready; the bench waits for that answer (its
# duration is a column) so later saves do not queue behind it on the server.
SUGGESTIONS_DONE = """
() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/suggestions/'));
  return entry && entry.responseEnd > 0 ? entry.duration : null;
}
"""


def wait_for_suggestions(page) -> float:
    handle = page.wait_for_function(SUGGESTIONS_DONE, timeout=300_000)
    return handle.json_value()


def heap(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"]


def measure(browser, base: str, article_id: int, session: str, repeat: int) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    url = f"{base}/articles/{article_id}/"
    page.goto(url)  # warm-up: the server's and the browser's first load
    page.wait_for_selector("body[data-ready='1']")
    wait_for_suggestions(page)
    html_bytes = page.evaluate("performance.getEntriesByType('navigation')[0].encodedBodySize")
    ready, first_byte, parsed, heaps, suggestions = [], [], [], [], []
    elements = 0
    for _ in range(repeat):
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        suggestions.append(wait_for_suggestions(page))
        heaps.append(heap(cdp))
        elements = page.evaluate("document.getElementsByTagName('*').length")
        timing = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0];
              const ready = performance.getEntriesByName('annotator:ready')[0].startTime;
              return [ready, nav.responseStart, nav.domInteractive];
            }"""
        )
        ready.append(timing[0])
        first_byte.append(timing[1])
        parsed.append(timing[2])

    creates, edits, server = [], [], []
    for n in range(repeat):
        # CSS selectors, not roles: a role query walks all of a 100,000-word page's elements.
        before = page.evaluate("performance.getEntriesByName('annotator:update').length")
        page.evaluate(SCROLL_TO_PARAGRAPH, n)
        page.evaluate(SELECT_IN_PARAGRAPH)
        page.keyboard.press("c")
        page.wait_for_function("(n) => performance.getEntriesByName('annotator:update').length > n", arg=before)
        creates.append(page.evaluate("performance.getEntriesByName('annotator:update').at(-1).duration"))
        server.append(page.evaluate("performance.getEntriesByName('annotator:server').at(-1).duration"))
        count = page.evaluate("performance.getEntriesByName('annotator:update').length")
        page.locator("#f-note").fill(f"edited {n}")
        page.locator("[data-span-form] [data-action=save]").click()
        page.wait_for_function("(n) => performance.getEntriesByName('annotator:update').length > n", arg=count)
        edits.append(page.evaluate("performance.getEntriesByName('annotator:update').at(-1).duration"))
        heaps.append(heap(cdp))
    context.close()
    return {
        "heap_mb": max(heaps) / 2**20,
        "elements": elements,
        "suggestions": suggestions,
        "html_kb": html_bytes / 1024,
        "ready": ready,
        "first_byte": first_byte,
        "parsed": parsed,
        "create": creates,
        "edit": edits,
        "server": server,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans", default="1000,2000,5000", help="comma-separated span counts")
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    span_counts = [0] + [int(n) for n in args.spans.split(",")]  # 0: the baseline
    if not all(0 <= n <= 20_000 for n in span_counts) or not 100 <= args.words <= 200_000:
        raise SystemExit("--spans must be 1..20000 each and --words 100..200000")

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    server = None
    try:
        setup_django(workdir)
        # The browser the tests drive; tests.conftest needs Django set up first.
        from tests.conftest import CHROMIUM, CHROMIUM_ARGS

        article_id, sessions = seed(args.words, span_counts, random.Random(args.seed))
        port = free_port()
        server = start_server(port)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            rows = [(count, measure(browser, base, article_id, sessions[count], args.repeat)) for count in span_counts]
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nAnnotate page, {args.words:,} words, median (max) of {args.repeat} runs, milliseconds\n")
    header = (
        f"{'spans':>6} {'page KB':>8} {'first byte':>12} {'HTML parsed':>12} {'ready':>12} {'x base':>7}"
        f" {'create: update':>15} {'edit: update':>13} {'save round trip':>16} {'heap MB':>8} {'elements':>9}"
        f" {'suggestions':>13}"
    )
    print(header)
    print("-" * len(header))

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ({max(values):.0f})"

    baseline = statistics.median(rows[0][1]["ready"])
    for count, result in rows:
        ratio = statistics.median(result["ready"]) / baseline
        print(
            f"{count:>6} {result['html_kb']:>8.0f} {cell(result['first_byte']):>12} {cell(result['parsed']):>12}"
            f" {cell(result['ready']):>12} {ratio:>7.2f} {cell(result['create']):>15} {cell(result['edit']):>13}"
            f" {cell(result['server']):>16} {result['heap_mb']:>8.1f} {result['elements']:>9,}"
            f" {cell(result['suggestions']):>13}"
        )
    print("\nBaseline: the row with 0 spans (the same article, text only), measured in this run.")
    print("Targets: ready < 1000 ms at 5,000 spans; update < 16 ms after the server's answer.")


if __name__ == "__main__":
    main()
