// Draws spans over the article text. The text is cut into segments at every span
// boundary; a segment covered by spans becomes a chain of nested <mark> elements, one per
// covering span, outermost = lowest lane. Every span therefore owns at least one element
// carrying exactly data-annotation-id="<id>", however deeply it is nested.
//
// Lanes: overlapping spans get different lanes (interval colouring), and the lane decides
// how far below the text the span's underline sits, so a span keeps the same underline
// along its whole length and overlaps stay distinguishable.
//
// All text goes in through text nodes (document.createTextNode), never innerHTML.

export const MAX_LANE = 4;

export class Highlighter {
  constructor(container, text, offsets) {
    this.container = container;
    this.text = text;
    this.offsets = offsets;
    this.spans = new Map(); // id -> {id, start, end (UTF-16), label, lane}
    this.segments = []; // [{start, end, node}] in text order, covering the whole text
    this.segmentOfText = new WeakMap(); // text node -> segment start (UTF-16)
    this.selectedId = null;
  }

  // Draw everything from scratch (page load).
  load(annotations) {
    this.spans.clear();
    const spans = annotations.map((a) => this.toSpan(a));
    spans.sort((a, b) => a.start - b.start || b.end - a.end || compareIds(a.id, b.id));
    const laneEnds = [];
    for (const span of spans) {
      let lane = laneEnds.findIndex((end) => end <= span.start);
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = span.end;
      span.lane = lane;
      this.spans.set(span.id, span);
    }
    const { fragment, segments } = this.build(0, this.text.length);
    this.container.replaceChildren(fragment);
    this.segments = segments;
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
      return;
    }
    this.remove(span.id);
    this.add(annotation);
  }

  // Redraw the segments touching [start, end) only: the rest of the page is untouched,
  // so an update costs the same with 10 spans or 1,000.
  redraw(start, end) {
    if (!this.segments.length) return this.load([...this.spans.values()].map((s) => this.fromSpan(s)));
    const first = this.segmentIndexAt(start);
    const last = this.segmentIndexAt(Math.max(start, end - 1));
    const from = this.segments[first].start;
    const to = this.segments[last].end;
    const { fragment, segments } = this.build(from, to);
    const anchor = this.segments[first].node;
    this.container.insertBefore(fragment, anchor);
    for (let i = first; i <= last; i++) this.segments[i].node.remove();
    this.segments.splice(first, last - first + 1, ...segments);
  }

  fromSpan(span) {
    return {
      id: span.id,
      start: this.offsets.toCodePoint(span.start),
      end: this.offsets.toCodePoint(span.end),
      label: span.label,
    };
  }

  // One pass over the sorted boundaries of the spans that touch [from, to).
  build(from, to) {
    const fragment = document.createDocumentFragment();
    const segments = [];
    const touching = [];
    const cuts = [from, to];
    for (const span of this.spans.values()) {
      if (span.start < to && span.end > from) {
        touching.push(span);
        if (span.start > from) cuts.push(span.start);
        if (span.end < to) cuts.push(span.end);
      }
    }
    touching.sort((a, b) => a.start - b.start);
    cuts.sort((a, b) => a - b);
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
      segments.push({ start: a, end: b, node });
    }
    return { fragment, segments };
  }

  segmentIndexAt(position) {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].start <= position) lo = mid;
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

  // UTF-16 offset -> a DOM position inside the segment's text node.
  domPosition(offset) {
    if (!this.segments.length) return { node: this.container, offset: 0 };
    const segment = this.segments[this.segmentIndexAt(offset)];
    let node = segment.node;
    while (node.nodeType !== Node.TEXT_NODE) node = node.firstChild;
    return { node, offset: Math.min(offset - segment.start, node.data.length) };
  }
}

function compareIds(a, b) {
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
