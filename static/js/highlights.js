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
// All text goes in through text nodes (document.createTextNode), never innerHTML.

export const MAX_LANE = 4;

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
    this.spans = new Map(); // id -> {id, start, end (UTF-16), label, lane}
    this.blocks = []; // [{start, end, element}] in text order, covering the whole text
    this.segmentOfText = new WeakMap(); // text node -> its start (UTF-16)
    this.selectedId = null;
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
      const touching = open.filter((span) => span.end > start);
      while (next < sorted.length && sorted[next].start < end) touching.push(sorted[next++]);
      open = touching.filter((span) => span.end > end);
      const element = document.createElement("div");
      element.className = "tb";
      this.fill(element, start, end, touching.sort(byStart));
      this.blocks.push({ start, end, element });
      fragment.append(element);
    }
    this.container.replaceChildren(fragment);
  }

  toSpan(annotation) {
    return {
      id: String(annotation.id),
      start: this.offsets.toUtf16(annotation.start),
      end: this.offsets.toUtf16(annotation.end),
      label: annotation.label,
      lane: 0,
    };
  }

  add(annotation) {
    const span = this.toSpan(annotation);
    const used = new Set();
    for (const other of this.spans.values()) {
      if (other.start < span.end && span.start < other.end) used.add(other.lane);
    }
    while (used.has(span.lane)) span.lane++;
    this.spans.set(span.id, span);
    this.redraw(span.start, span.end);
  }

  remove(id) {
    const span = this.spans.get(String(id));
    if (!span) return;
    this.spans.delete(span.id);
    this.redraw(span.start, span.end);
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

  // Redraw the blocks touching [start, end) only: an update costs the same with 10 spans
  // or 1,000, and the browser re-lays out those paragraphs alone.
  redraw(start, end) {
    if (!this.blocks.length) return;
    const last = this.blockIndexAt(Math.max(start, end - 1));
    for (let i = this.blockIndexAt(start); i <= last; i++) {
      const block = this.blocks[i];
      const touching = [];
      for (const span of this.spans.values()) {
        if (span.start < block.end && span.end > block.start) touching.push(span);
      }
      this.fill(block.element, block.start, block.end, touching.sort(byStart));
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

  blockIndexAt(position) {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].start <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  elementsFor(id) {
    return this.container.querySelectorAll(`[data-annotation-id="${CSS.escape(String(id))}"]`);
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
    const range = document.createRange();
    range.setStart(this.container, 0);
    range.setEnd(node, offset);
    return range.toString().length;
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
