// The article text as something to select in: the current selection as offsets, a caret
// for keyboard users, caret moves with the arrow keys, and clicks that open spans.
//
// The text is not editable, so the browser draws no caret and moves no selection with
// the keys; this module does both. Offsets here are UTF-16 (the DOM's); the page converts
// to code points before anything is sent.

import { snapOutwards, trimWhitespace } from "./offsets.js";

export class TextSelection {
  constructor(container, caret, highlighter, { text, barHeight, onOpenAt }) {
    this.container = container;
    this.caret = caret;
    this.highlighter = highlighter;
    this.text = text;
    this.barHeight = barHeight; // () -> the sticky bar's height
    this.onOpenAt = onOpenAt; // (element) -> open the span(s) under it
  }

  bind() {
    this.container.addEventListener("click", (event) => this.onClick(event));
    this.container.addEventListener("keydown", (event) => this.onKey(event));
    this.container.addEventListener("focus", () => this.onFocus());
    this.container.addEventListener("blur", () => this.updateCaret());
    document.addEventListener("selectionchange", () => this.updateCaret());
  }

  // The current selection as UTF-16 offsets, clipped to the article, snapped out of
  // surrogate pairs and trimmed of white space; null when there is nothing to annotate.
  range() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(this.container)) return null;
    const whole = document.createRange();
    whole.selectNodeContents(this.container);
    let start = 0;
    let end = this.text.length;
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) > 0) {
      start = this.highlighter.textOffset(range.startContainer, range.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) < 0) {
      end = this.highlighter.textOffset(range.endContainer, range.endOffset);
    }
    [start, end] = snapOutwards(this.text, start, end);
    [start, end] = trimWhitespace(this.text, start, end);
    return start < end ? { start, end } : null;
  }

  hasSelection() {
    const selection = document.getSelection();
    return Boolean(selection && !selection.isCollapsed && this.container.contains(selection.anchorNode));
  }

  clear() {
    const selection = document.getSelection();
    if (selection && selection.rangeCount && this.container.contains(selection.anchorNode)) {
      if (document.activeElement === this.container) selection.collapseToEnd();
      else selection.removeAllRanges();
    }
    this.updateCaret();
  }

  onClick(event) {
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed) return; // the user is selecting text
    const mark = event.target.closest && event.target.closest("mark[data-annotation-id]");
    if (mark) this.onOpenAt(mark);
  }

  onFocus() {
    // Keyboard users get a caret at the start of the text to move with the arrow keys.
    const selection = document.getSelection();
    if (selection && (selection.rangeCount === 0 || !this.container.contains(selection.anchorNode))) {
      const { node, offset } = this.highlighter.domPosition(0);
      selection.collapse(node, offset);
    }
    this.updateCaret();
  }

  // Arrows move, Shift+arrows select, Ctrl/Alt+arrows by word, Home/End by line. Directions
  // are visual, so RTL text works.
  onKey(event) {
    const selection = document.getSelection();
    if (!selection) return;
    const word = event.ctrlKey || event.altKey;
    const moves = {
      ArrowLeft: ["left", word ? "word" : "character"],
      ArrowRight: ["right", word ? "word" : "character"],
      ArrowUp: ["backward", "line"],
      ArrowDown: ["forward", "line"],
      Home: ["backward", event.ctrlKey ? "documentboundary" : "lineboundary"],
      End: ["forward", event.ctrlKey ? "documentboundary" : "lineboundary"],
    };
    if (event.key === "Enter") {
      const node = selection.focusNode;
      const element = node && (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
      if (element && element.closest("mark[data-annotation-id]")) {
        event.preventDefault();
        this.onOpenAt(element);
      }
      return;
    }
    const move = moves[event.key];
    if (!move || event.metaKey) return;
    event.preventDefault();
    if (selection.rangeCount === 0 || !this.container.contains(selection.focusNode)) this.onFocus();
    selection.modify(event.shiftKey ? "extend" : "move", move[0], move[1]);
    this.updateCaret();
    this.caretIntoView();
  }

  updateCaret() {
    const selection = document.getSelection();
    const show =
      document.activeElement === this.container &&
      selection &&
      selection.rangeCount > 0 &&
      selection.isCollapsed &&
      this.container.contains(selection.anchorNode);
    const rect = show ? selection.getRangeAt(0).getClientRects()[0] : null;
    if (!rect) {
      this.caret.hidden = true;
      return;
    }
    const frame = this.caret.parentElement.getBoundingClientRect();
    this.caret.hidden = false;
    this.caret.style.top = `${rect.top - frame.top}px`;
    this.caret.style.left = `${rect.left - frame.left}px`;
    this.caret.style.height = `${rect.height}px`;
  }

  caretIntoView() {
    const selection = document.getSelection();
    if (!selection || !selection.rangeCount) return;
    const range = document.createRange();
    range.setStart(selection.focusNode, selection.focusOffset);
    const rect = range.getClientRects()[0];
    if (rect && (rect.top < this.barHeight() || rect.bottom > window.innerHeight)) {
      window.scrollBy({ top: rect.top - window.innerHeight / 2 });
      this.updateCaret();
    }
  }
}
