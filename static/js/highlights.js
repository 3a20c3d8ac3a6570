// Draws spans over the article text.
//
// Blocks: the text is cut after every newline into block elements (<div class="tb">), so
// a change re-lays out one paragraph, not the whole article. The newlines stay inside the
// text nodes: the container's textContent is the article text, character for character.
//
// Segments: inside a block the text is cut at every span boundary; a segment covered by
// spans becomes a chain of nested <mark> elements, one per covering span, outermost =
// lowest lane. Every span therefore owns at least one element carrying exactly
// data-annotation-id="<id>", however deeply it is nested.
//
// Lanes: overlapping spans get different lanes (interval colouring), and the lane decides
// how far below the text the span's underline sits, so a span keeps the same underline
// along its whole length and overlaps stay distinguishable.
//
// Index: every block knows the spans touching it, and every span the blocks it touches,
// so adding, changing, selecting or finding a span costs the same with 50 spans or 5,000.
//
// Long articles: the first EAGER_UNITS of text are drawn at once; further blocks start as
// plain text and get their highlights when they come near the screen (an
// IntersectionObserver), or when a span in them is revealed. Blocks off screen are not laid
// out either (content-visibility in annotate.css).
//
// All text goes in through text nodes (document.createTextNode), never innerHTML.

import { partitionPoint } from "./search.js";

export const MAX_LANE = 4;
// About three screens of text: an article this long is drawn completely before "ready".
const EAGER_UNITS = 12000;

// [start, end) of each line, newline included, in UTF-16 code units.
function lineRanges(text) {
  const ranges = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

const byStart = (a, b) => a.start - b.start;

export class Highlighter {
  constructor(container, text, offsets) {
    this.container = container;
    this.text = text;
    this.offsets = offsets;
    this.spans = new Map(); // id -> {id, start, end (UTF-16), label, lane, first, last (block indexes)}
    this.blocks = []; // [{start, end, element, spans: Set of ids}] in text order, covering the whole text
    this.segmentOfText = new WeakMap(); // text node -> its start (UTF-16)
    this.blockOfElement = new WeakMap(); // block element -> its index
    this.selectedId = null;
    this.observer = new IntersectionObserver((entries) => this.onNear(entries), { rootMargin: "100% 0px" });
  }

  onNear(entries) {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      this.draw(this.blockOfElement.get(entry.target));
    }
  }

  // Give a plain-text block its highlights.
  draw(index) {
    const block = this.blocks[index];
    if (block.drawn) return;
    block.drawn = true;
    this.observer.unobserve(block.element);
    this.redraw(index, index);
  }

  // Draw the blocks of a span (before scrolling to it, say) and return its elements.
  reveal(id) {
    const span = this.spans.get(String(id));
    if (!span) return [];
    for (let i = span.first; i <= span.last; i++) this.draw(i);
    return this.elementsFor(id);
  }

  // Draw everything from scratch (page load), in one pass over blocks and spans.
  load(annotations) {
    this.spans.clear();
    const sorted = annotations.map((a) => this.toSpan(a));
    sorted.sort((a, b) => a.start - b.start || b.end - a.end || compareIds(a.id, b.id));
    const laneEnds = [];
    for (const span of sorted) {
      let lane = laneEnds.findIndex((end) => end <= span.start);
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = span.end;
      span.lane = lane;
      this.spans.set(span.id, span);
    }
    const fragment = document.createDocumentFragment();
    this.blocks = [];
    let next = 0;
    let open = [];
    for (const [start, end] of lineRanges(this.text)) {
      const index = this.blocks.length;
      const touching = open.filter((span) => span.end > start);
      while (next < sorted.length && sorted[next].start < end) {
        sorted[next].first = index;
        touching.push(sorted[next++]);
      }
      for (const span of touching) span.last = index;
      open = touching.filter((span) => span.end > end);
      const element = document.createElement("div");
      element.className = "tb";
      const drawn = start < EAGER_UNITS;
      if (drawn) {
        this.fill(element, start, end, touching.sort(byStart));
      } else {
        const textNode = document.createTextNode(this.text.slice(start, end));
        this.segmentOfText.set(textNode, start);
        element.append(textNode);
      }
      this.blockOfElement.set(element, index);
      this.blocks.push({ start, end, element, drawn, spans: new Set(touching.map((span) => span.id)) });
      fragment.append(element);
    }
    this.observer.disconnect();
    this.container.replaceChildren(fragment);
    for (const block of this.blocks) if (!block.drawn) this.observer.observe(block.element);
  }

  toSpan(annotation) {
    return {
      id: String(annotation.id),
      start: this.offsets.toUtf16(annotation.start),
      end: this.offsets.toUtf16(annotation.end),
      label: annotation.label,
      lane: 0,
      first: 0,
      last: 0,
    };
  }

  // The spans sharing a block with [first, last] blocks, each once.
  *near(first, last) {
    const seen = new Set();
    for (let i = first; i <= last; i++) {
      for (const id of this.blocks[i].spans) {
        if (seen.has(id)) continue;
        seen.add(id);
        yield this.spans.get(id);
      }
    }
  }

  add(annotation) {
    const span = this.toSpan(annotation);
    if (!this.blocks.length) return;
    span.first = this.blockIndexAt(span.start);
    span.last = this.blockIndexAt(Math.max(span.start, span.end - 1));
    const used = new Set();
    for (const other of this.near(span.first, span.last)) {
      if (other.start < span.end && span.start < other.end) used.add(other.lane);
    }
    while (used.has(span.lane)) span.lane++;
    this.spans.set(span.id, span);
    for (let i = span.first; i <= span.last; i++) this.blocks[i].spans.add(span.id);
    this.redraw(span.first, span.last);
  }

  remove(id) {
    const span = this.spans.get(String(id));
    if (!span) return;
    this.spans.delete(span.id);
    for (let i = span.first; i <= span.last; i++) this.blocks[i].spans.delete(span.id);
    this.redraw(span.first, span.last);
  }

  // A span's label or offsets changed.
  update(annotation) {
    const old = this.spans.get(String(annotation.id));
    if (!old) return this.add(annotation);
    const span = this.toSpan(annotation);
    if (span.start === old.start && span.end === old.end) {
      old.label = span.label;
      for (const element of this.elementsFor(span.id)) element.dataset.spanLabel = span.label;
      return undefined;
    }
    this.remove(span.id);
    return this.add(annotation);
  }

  // Spans other than `id` that share at least one character with it.
  overlapping(id) {
    const span = this.spans.get(String(id));
    if (!span) return [];
    const ids = [];
    for (const other of this.near(span.first, span.last)) {
      if (other.id !== span.id && other.start < span.end && span.start < other.end) ids.push(other.id);
    }
    return ids;
  }

  // Redraw blocks first..last only: the browser re-lays out those paragraphs alone. A
  // block still in plain text is left for when it comes near the screen.
  redraw(first, last) {
    for (let i = first; i <= last; i++) {
      const block = this.blocks[i];
      if (!block.drawn) continue;
      const touching = [...block.spans].map((id) => this.spans.get(id)).sort(byStart);
      this.fill(block.element, block.start, block.end, touching);
    }
  }

  // Fill a block's element with the segments of [from, to); `touching` are the spans
  // overlapping it, sorted by start. One pass over the sorted cut points.
  fill(element, from, to, touching) {
    const cuts = [from, to];
    for (const span of touching) {
      if (span.start > from) cuts.push(span.start);
      if (span.end < to) cuts.push(span.end);
    }
    cuts.sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    let active = [];
    let next = 0;
    for (let i = 0; i < cuts.length - 1; i++) {
      const a = cuts[i];
      const b = cuts[i + 1];
      if (a === b) continue;
      if (active.some((s) => s.end <= a)) active = active.filter((s) => s.end > a);
      let added = false;
      while (next < touching.length && touching[next].start <= a) {
        if (touching[next].end > a) {
          active.push(touching[next]);
          added = true;
        }
        next++;
      }
      if (added) active.sort((x, y) => x.lane - y.lane);
      const textNode = document.createTextNode(this.text.slice(a, b));
      this.segmentOfText.set(textNode, a);
      let node = textNode;
      for (let k = active.length - 1; k >= 0; k--) {
        const span = active[k];
        const mark = document.createElement("mark");
        mark.className = `hl lane-${Math.min(span.lane, MAX_LANE)}`;
        if (span.start === a) mark.classList.add("hl-start");
        if (span.end === b) mark.classList.add("hl-end");
        if (span.id === this.selectedId) mark.classList.add("is-selected");
        mark.dataset.annotationId = span.id;
        mark.dataset.spanLabel = span.label;
        mark.append(node);
        node = mark;
      }
      fragment.append(node);
    }
    element.replaceChildren(fragment);
  }

  // The block holding UTF-16 offset `position` (the last one for the text's end).
  blockIndexAt(position) {
    return Math.max(0, partitionPoint(this.blocks, (block) => block.start <= position) - 1);
  }

  // The elements drawing a span: looked for in its own blocks only.
  elementsFor(id) {
    const span = this.spans.get(String(id));
    if (!span) return [];
    const selector = `[data-annotation-id="${CSS.escape(span.id)}"]`;
    const elements = [];
    for (let i = span.first; i <= span.last; i++) elements.push(...this.blocks[i].element.querySelectorAll(selector));
    return elements;
  }

  select(id) {
    const value = id == null ? null : String(id);
    if (this.selectedId === value) return;
    if (this.selectedId) for (const el of this.elementsFor(this.selectedId)) el.classList.remove("is-selected");
    this.selectedId = value;
    if (value) for (const el of this.elementsFor(value)) el.classList.add("is-selected");
  }

  // Span ids under an element, outermost first.
  idsAt(element) {
    const ids = [];
    for (let node = element; node && node !== this.container; node = node.parentElement) {
      if (node.dataset && node.dataset.annotationId) ids.unshift(node.dataset.annotationId);
    }
    return ids;
  }

  // A DOM position (as in Selection and Range) -> UTF-16 offset into the text.
  textOffset(node, offset) {
    const start = this.segmentOfText.get(node);
    if (start !== undefined) return start + offset;
    if (node === this.container) return offset < this.blocks.length ? this.blocks[offset].start : this.text.length;
    // An element inside a block: count within that block, not from the top of the article.
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const blockElement = element.closest(".tb");
    const block = blockElement && this.blocks[this.blockOfElement.get(blockElement)];
    const range = document.createRange();
    range.setStart(block ? block.element : this.container, 0);
    range.setEnd(node, offset);
    return (block ? block.start : 0) + range.toString().length;
  }

  // UTF-16 offset -> a DOM position in a text node (the start of the next line rather
  // than the end of a newline).
  domPosition(offset) {
    if (!this.blocks.length) return { node: this.container, offset: 0 };
    const block = this.blocks[this.blockIndexAt(offset)];
    const walker = document.createTreeWalker(block.element, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = this.segmentOfText.get(node);
      if (offset < start + node.data.length) return { node, offset: offset - start };
      last = node;
    }
    return { node: last, offset: last.data.length };
  }
}

function compareIds(a, b) {
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
