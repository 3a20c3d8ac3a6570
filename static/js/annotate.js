// The annotate page: select text, choose a label, describe the span, undo, mark done.
//
// The page arrives with everything it needs as JSON (#annotator-data): the article text,
// the vocabularies and the current user's own spans. Writes go through /api/ one at a
// time (a queue), so undo always applies to what the server has.
//
// Offsets: the API counts Unicode code points, the DOM counts UTF-16 code units;
// OffsetMap converts, and a selection never ends inside a surrogate pair.

import { Api } from "./api.js";
import { DeletedList } from "./deleted.js";
import { Highlighter } from "./highlights.js";
import { OffsetMap, snapOutwards, trimWhitespace } from "./offsets.js";
import { Drafts, SpanPanel, fieldsOf, payloadOf, sameFields } from "./panel.js";
import { Relations } from "./relations.js";
import { Suggestions } from "./suggestions.js";

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
const LIST_EXCERPT = 160;

class StatusLine {
  constructor(root) {
    this.root = root;
    this.text = root.querySelector("[data-status-text]");
    this.retryButton = root.querySelector("[data-status-retry]");
    this.retry = null;
    this.timer = null;
    this.retryButton.addEventListener("click", () => {
      const retry = this.retry;
      this.hide();
      if (retry) retry();
    });
    root.querySelector("[data-status-close]").addEventListener("click", () => this.hide());
  }

  show(message, kind = "info", retry = null) {
    clearTimeout(this.timer);
    this.root.hidden = false;
    this.root.dataset.kind = kind;
    this.root.setAttribute("role", kind === "error" ? "alert" : "status");
    this.text.textContent = message;
    this.retry = retry;
    this.retryButton.hidden = !retry;
    // Errors stay until dismissed or replaced; the rest fade out.
    if (kind !== "error" && kind !== "busy") this.timer = setTimeout(() => this.hide(), 4000);
  }

  error(message, retry = null) {
    this.show(message, "error", retry);
  }

  hide() {
    clearTimeout(this.timer);
    this.root.hidden = true;
    this.retry = null;
  }
}

// Worth sending again: the network, the server or the session, not the request itself.
function retryable(error) {
  return error.isNetwork || error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 429;
}

function readingOrder(a, b) {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

function isFormField(element) {
  return Boolean(element && element.closest && element.closest("input, textarea, select, [contenteditable]"));
}

class Annotator {
  constructor(data) {
    this.data = data;
    this.article = data.article;
    this.text = data.article.text;
    this.api = new Api(data.urls.api);
    this.offsets = new OffsetMap(this.text);
    this.container = document.querySelector("[data-testid=article-text]");
    this.caret = document.querySelector(".text-caret");
    this.highlighter = new Highlighter(this.container, this.text, this.offsets);
    this.labels = new Map(data.labels.map((label) => [label.slug, label]));
    this.shortcuts = new Map(
      data.labels.filter((label) => label.shortcut).map((label) => [label.shortcut.toLowerCase(), label.slug]),
    );
    // The same keys by position, so "c" still means claim with an Arabic or Cyrillic layout.
    this.shortcutCodes = new Map();
    for (const [key, slug] of this.shortcuts) {
      if (/^[a-z]$/.test(key)) this.shortcutCodes.set(`Key${key.toUpperCase()}`, slug);
      else if (/^[0-9]$/.test(key)) this.shortcutCodes.set(`Digit${key}`, slug);
    }
    this.claimTypes = new Map(data.claimTypes.map((item) => [item.slug, item.name]));
    this.verdicts = new Map(data.verdicts.map((item) => [item.slug, item.name]));
    this.annotations = new Map();
    this.selectedId = null;
    this.undoStack = [];
    this.queue = Promise.resolve();
    this.drafts = new Drafts();
    this.status = new StatusLine(document.querySelector("[data-status]"));
    this.list = document.querySelector("[data-claim-list]");
    this.count = document.querySelector("[data-claim-count]");
    this.undoButton = document.querySelector("[data-action=undo]");
    this.panel = new SpanPanel(document.querySelector(".side-panel"), {
      api: this.api,
      drafts: this.drafts,
      labels: this.labels,
      onSave: (id, fields, version) => this.saveFields(id, fields, version),
      onDelete: (id) => this.deleteSpan(id),
      onClose: () => this.select(null),
      onSelect: (id) => this.select(id, { scroll: true }),
      onTakeTheirs: (id, current) => this.takeTheirs(id, current),
      onDraftChange: (id) => this.markDraft(id),
    });
    this.deleted = new DeletedList(document.querySelector("[data-deleted]"), {
      api: this.api,
      article: this.article,
      user: data.user,
      labels: this.labels,
      status: this.status,
      isLive: (id) => this.annotations.has(id),
      onRestore: (id) => this.restoreSpan(id),
    });
    this.relations = new Relations(this);
    this.suggestions = new Suggestions(this, { enabled: Boolean(data.suggestions && data.suggestions.enabled) });
  }

  start() {
    this.installLabelColours();
    this.trackBarHeight();
    for (const annotation of this.data.annotations) this.annotations.set(String(annotation.id), annotation);
    this.highlighter.load(this.data.annotations);
    this.renderList();
    this.deleted.load(this.data.deleted || [], Boolean(this.data.moreDeleted));
    this.bind();
    this.relations.load();
    this.suggestions.load();
    // Ready means laid out: the forced layout here is the one the browser does anyway.
    this.container.getBoundingClientRect();
    performance.mark("annotator:ready");
    document.body.dataset.ready = "1";
  }

  // Label colours come from the database; CSSOM rules are allowed under our CSP where
  // style attributes are not.
  installLabelColours() {
    const sheet = new CSSStyleSheet();
    for (const label of this.labels.values()) {
      const colour = HEX_COLOUR.test(label.color) ? label.color : "#ffd54f";
      const slug = CSS.escape(label.slug);
      sheet.insertRule(`[data-span-label="${slug}"], [data-label="${slug}"] { --label-color: ${colour}; }`);
    }
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }

  // The side panel sticks just below the top bar, whose height depends on the title.
  trackBarHeight() {
    const bar = document.querySelector(".annotator-bar");
    const set = () => {
      this.barHeight = bar.offsetHeight;
      document.documentElement.style.setProperty("--bar-height", `${this.barHeight}px`);
    };
    new ResizeObserver(set).observe(bar);
    set();
  }

  bind() {
    for (const button of document.querySelectorAll(".label-button[data-label]")) {
      // Keep the text selection (and focus) where it is when the button is pressed.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => this.applyLabel(button.dataset.label));
    }
    this.undoButton.addEventListener("click", () => this.undo());
    this.container.addEventListener("click", (event) => this.onTextClick(event));
    this.container.addEventListener("keydown", (event) => this.onTextKey(event));
    this.container.addEventListener("focus", () => this.onTextFocus());
    this.container.addEventListener("blur", () => this.updateCaret());
    document.addEventListener("selectionchange", () => this.updateCaret());
    document.addEventListener("keydown", (event) => this.onKey(event));
    this.list.addEventListener("click", (event) => {
      const item = event.target.closest("[data-claim-id]");
      if (item) this.select(item.dataset.claimId, { scroll: true });
    });
    const doneForm = document.querySelector("[data-done-form]");
    doneForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.toggleDone(doneForm);
    });
  }

  // ---- selection -> offsets ----

  // The current text selection as UTF-16 offsets, clipped to the article, snapped out of
  // surrogate pairs and trimmed of white space; null when there is nothing to annotate.
  selectedRange() {
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

  clearTextSelection() {
    const selection = document.getSelection();
    if (selection && selection.rangeCount && this.container.contains(selection.anchorNode)) {
      if (document.activeElement === this.container) selection.collapseToEnd();
      else selection.removeAllRanges();
    }
  }

  applyLabel(slug) {
    const range = this.selectedRange();
    if (range) return this.createSpan(range.start, range.end, slug);
    if (this.selectedId) return this.changeLabel(this.selectedId, slug);
    this.status.show("Select some text in the article first, then choose a label.");
    return null;
  }

  // ---- writes (one at a time) ----

  enqueue(task) {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  createSpan(start, end, slug) {
    const body = {
      article: this.article.id,
      start: this.offsets.toCodePoint(start),
      end: this.offsets.toCodePoint(end),
      text: this.text.slice(start, end),
      label: slug,
    };
    const label = this.labels.get(slug);
    this.status.show("Saving the span…", "busy");
    return this.enqueue(async () => {
      let created;
      performance.mark("annotator:request");
      try {
        created = await this.api.post("annotations/", body);
      } catch (error) {
        const retry = retryable(error) ? () => this.createSpan(start, end, slug) : null;
        this.status.error(`The span was not saved: ${error.message}`, retry);
        return;
      }
      performance.mark("annotator:response");
      this.addAnnotation(created);
      this.clearTextSelection();
      this.select(created.id);
      this.pushUndo({ type: "create", id: String(created.id) });
      this.updated();
      this.status.show(`${label ? label.name : slug} saved.`, "ok");
    });
  }

  changeLabel(id, slug) {
    const current = this.annotations.get(id);
    if (!current || current.label === slug) return null;
    return this.enqueue(() => this.patch(id, { label: slug }, { undo: { label: current.label } }));
  }

  saveFields(id, fields, version) {
    const current = this.annotations.get(id);
    if (!current) return null;
    this.status.show("Saving…", "busy");
    return this.enqueue(async () => {
      const before = payloadOf(fieldsOf(this.annotations.get(id)));
      let updated;
      performance.mark("annotator:request");
      try {
        updated = await this.api.patch(`annotations/${id}/`, { version, ...payloadOf(fields) });
      } catch (error) {
        this.reportWriteError(id, error, () => {
          // Retry what the user has now: the panel if it still shows this span, else the draft.
          const latest = this.panel.id === id ? this.panel.fields() : this.drafts.get(id)?.fields || fields;
          this.saveFields(id, latest, version);
        });
        return;
      }
      performance.mark("annotator:response");
      this.applyUpdate(updated);
      if (this.panel.id === id) {
        this.panel.saved(updated, fields);
      } else {
        const draft = this.drafts.get(id);
        if (draft && sameFields(draft.fields, fields)) this.drafts.clear(id);
        else if (draft) this.drafts.rebase(id, updated.version);
      }
      this.markDraft(id);
      this.pushUndo({ type: "edit", id, before });
      this.updated();
      this.status.show("Saved.", "ok");
    });
  }

  // A PATCH that is not the panel's Save (label key, undo of an edit).
  async patch(id, changes, { undo = null, message = "Saved." } = {}) {
    const current = this.annotations.get(id);
    let updated;
    try {
      updated = await this.api.patch(`annotations/${id}/`, { version: current.version, ...changes });
    } catch (error) {
      this.reportWriteError(id, error, () => this.enqueue(() => this.patch(id, changes, { undo, message })));
      return false;
    }
    this.applyUpdate(updated);
    const fresh = fieldsOf(updated);
    this.drafts.rebase(id, updated.version, Object.fromEntries(Object.keys(changes).map((key) => [key, fresh[key]])));
    this.panel.refresh(updated, Object.keys(changes));
    if (undo) this.pushUndo({ type: "edit", id, before: undo });
    this.status.show(message, "ok");
    return true;
  }

  reportWriteError(id, error, retry) {
    if (error.status === 409 && error.data && error.data.current) {
      if (this.selectedId !== id) this.select(id, { scroll: true });
      this.panel.showConflict(error.data.current, error.data.detail);
      this.status.error("Not saved: this span was changed elsewhere. Reload theirs or overwrite with yours.");
    } else if (error.status === 400) {
      if (this.selectedId === id) this.panel.showErrors(error.data);
      this.status.error(`Not saved: ${error.message}`);
    } else {
      // Network or server trouble: the edit stays in the panel and in localStorage.
      this.status.error(`Not saved: ${error.message}`, retryable(error) ? retry : null);
    }
  }

  takeTheirs(id, current) {
    this.drafts.clear(id);
    this.applyUpdate(current);
    this.markDraft(id);
    this.panel.open(current, this.overlapsOf(id));
    this.status.show("Showing their version.", "ok");
  }

  deleteSpan(id) {
    const current = this.annotations.get(id);
    if (!current) return null;
    return this.enqueue(async () => {
      const snapshot = this.annotations.get(id);
      try {
        await this.api.delete(`annotations/${id}/`, { version: snapshot.version });
      } catch (error) {
        if (error.status === 409 && error.data && error.data.current) {
          this.applyUpdate(error.data.current);
          this.panel.refresh(error.data.current, []);
          this.status.error("Not deleted: this span was changed elsewhere (now shown). Delete again to delete it.");
        } else {
          this.status.error(`Not deleted: ${error.message}`, retryable(error) ? () => this.deleteSpan(id) : null);
        }
        return;
      }
      this.removeAnnotation(id);
      this.drafts.clear(id);
      this.deleted.add({ ...snapshot, deleted_at: new Date().toISOString() });
      this.pushUndo({ type: "delete", id });
      this.status.show("Span deleted. Undo with Ctrl+Z.", "ok");
    });
  }

  // An older deletion, from the "Deleted spans" list.
  restoreSpan(id) {
    this.status.show("Restoring the span…", "busy");
    return this.enqueue(async () => {
      let restored;
      try {
        restored = await this.api.post(`annotations/${id}/restore/`, {});
      } catch (error) {
        this.deleted.restoreFailed(id);
        this.status.error(`Not restored: ${error.message}`, retryable(error) ? () => this.restoreSpan(id) : null);
        return;
      }
      this.putRestored(restored);
      this.select(restored.id, { scroll: true });
      this.pushUndo({ type: "restore", id });
      this.status.show("Span restored. Undo with Ctrl+Z.", "ok");
    });
  }

  undo() {
    const entry = this.undoStack.pop();
    this.updateUndoButton();
    if (!entry) {
      this.status.show("Nothing to undo.");
      return null;
    }
    return this.enqueue(async () => {
      try {
        if (entry.type === "create" || entry.type === "restore") {
          const current = this.annotations.get(entry.id);
          if (current) {
            await this.api.delete(`annotations/${entry.id}/`, { version: current.version });
            this.removeAnnotation(entry.id);
            this.drafts.clear(entry.id);
            this.deleted.add({ ...current, deleted_at: new Date().toISOString() });
          }
          this.status.show(
            entry.type === "create" ? "Undone: the new span is removed." : "Undone: the span is deleted again.",
            "ok",
          );
        } else if (entry.type === "delete") {
          const restored = await this.api.post(`annotations/${entry.id}/restore/`, {});
          this.putRestored(restored);
          this.select(restored.id, { scroll: true });
          this.status.show("Undone: the span is back.", "ok");
        } else if (entry.type === "edit") {
          const ok = await this.patch(entry.id, entry.before, { message: "Undone: the previous values are back." });
          if (!ok) this.undoStack.push(entry);
          this.updateUndoButton();
        }
      } catch (error) {
        this.undoStack.push(entry);
        this.updateUndoButton();
        this.status.error(`Undo failed: ${error.message}`, () => this.undo());
      }
    });
  }

  pushUndo(entry) {
    this.undoStack.push(entry);
    if (this.undoStack.length > 100) this.undoStack.shift();
    this.updateUndoButton();
  }

  updateUndoButton() {
    this.undoButton.disabled = this.undoStack.length === 0;
  }

  // ---- local state ----

  addAnnotation(annotation) {
    const id = String(annotation.id);
    this.annotations.set(id, annotation);
    this.highlighter.add(annotation);
    this.listPut(annotation);
    this.suggestions.annotationAdded(annotation);
  }

  // A restored span leaves "Deleted spans"; it may be on the page already if it was
  // restored twice (undo and the list), which the server answers the same way.
  putRestored(annotation) {
    const id = String(annotation.id);
    this.deleted.remove(id);
    if (this.annotations.has(id)) this.applyUpdate(annotation);
    else this.addAnnotation(annotation);
  }

  applyUpdate(annotation) {
    const id = String(annotation.id);
    this.annotations.set(id, annotation);
    this.highlighter.update(annotation);
    this.listPut(annotation);
  }

  removeAnnotation(id) {
    this.annotations.delete(id);
    this.highlighter.remove(id);
    if (this.selectedId === id) this.select(null);
    this.listRemove(id);
  }

  // The page is updated after a server answer; the first rect read forces the layout, so
  // the measure includes it. bench/ui.py reads "annotator:update" and "annotator:server".
  updated() {
    if (this.selectedId) this.ensureVisible(this.selectedId);
    performance.mark("annotator:updated");
    performance.measure("annotator:server", "annotator:request", "annotator:response");
    performance.measure("annotator:update", "annotator:response", "annotator:updated");
  }

  ensureVisible(id) {
    const element = this.highlighter.elementsFor(id)[0];
    if (!element) return;
    const rect = element.getBoundingClientRect();
    if (rect.top < this.barHeight || rect.bottom > window.innerHeight) element.scrollIntoView({ block: "center" });
  }

  overlapsOf(id) {
    const span = this.annotations.get(id);
    if (!span) return [];
    return [...this.annotations.values()].filter(
      (other) => String(other.id) !== id && other.start < span.end && span.start < other.end,
    );
  }

  select(id, { scroll = false } = {}) {
    const value = id == null ? null : String(id);
    const annotation = value ? this.annotations.get(value) : null;
    this.selectedId = annotation ? value : null;
    this.highlighter.select(this.selectedId);
    this.relations.show(this.selectedId);
    for (const item of this.list.querySelectorAll("[aria-current]")) item.removeAttribute("aria-current");
    if (!annotation) {
      this.panel.close();
      return;
    }
    this.list.querySelector(`[data-claim-id="${CSS.escape(value)}"]`)?.setAttribute("aria-current", "true");
    this.panel.open(annotation, this.overlapsOf(value));
    if (scroll) this.ensureVisible(value);
  }

  markDraft(id) {
    const item = this.list.querySelector(`[data-claim-id="${CSS.escape(String(id))}"]`);
    if (item) item.classList.toggle("has-draft", this.drafts.has(id));
  }

  // The list of spans in reading order. Built once; afterwards one item is added, replaced
  // or removed per change, so the browser does not lay out a thousand items again.
  renderList() {
    this.listOrder = [...this.annotations.values()].sort(readingOrder);
    this.listItems = new Map();
    const fragment = document.createDocumentFragment();
    for (const annotation of this.listOrder) fragment.append(this.listItem(annotation));
    this.list.replaceChildren(fragment);
    this.count.textContent = String(this.listOrder.length);
  }

  listPut(annotation) {
    const id = String(annotation.id);
    if (this.listItems.has(id)) this.listRemove(id);
    let lo = 0;
    let hi = this.listOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (readingOrder(this.listOrder[mid], annotation) < 0) lo = mid + 1;
      else hi = mid;
    }
    const following = this.listOrder[lo];
    this.listOrder.splice(lo, 0, annotation);
    const item = this.listItem(annotation);
    this.list.insertBefore(item, following ? this.listItems.get(String(following.id)) : null);
    this.count.textContent = String(this.listOrder.length);
  }

  listRemove(id) {
    const item = this.listItems.get(id);
    if (!item) return;
    item.remove();
    this.listItems.delete(id);
    this.listOrder.splice(
      this.listOrder.findIndex((a) => String(a.id) === id),
      1,
    );
    this.count.textContent = String(this.listOrder.length);
  }

  listItem(annotation) {
    const id = String(annotation.id);
    const item = document.createElement("li");
    this.listItems.set(id, item);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "claim-item";
    button.dataset.claimId = id;
    if (id === this.selectedId) button.setAttribute("aria-current", "true");
    if (this.drafts.has(id)) button.classList.add("has-draft");
    const chip = document.createElement("span");
    chip.className = "label-chip";
    chip.dataset.spanLabel = annotation.label;
    chip.textContent = this.labels.get(annotation.label)?.name || annotation.label;
    const excerpt = document.createElement("span");
    excerpt.className = "claim-text";
    excerpt.lang = this.article.language;
    excerpt.dir = this.article.direction;
    excerpt.textContent =
      annotation.text.length > LIST_EXCERPT ? `${annotation.text.slice(0, LIST_EXCERPT)}…` : annotation.text;
    const meta = [];
    if (annotation.claim_type) meta.push(this.claimTypes.get(annotation.claim_type) || annotation.claim_type);
    if (annotation.verdict && annotation.verdict !== "unchecked") {
      meta.push(this.verdicts.get(annotation.verdict) || annotation.verdict);
    }
    const links = annotation.source_links || [];
    if (links.length) meta.push(links.map((link) => link.name || link.source).join(", "));
    const details = document.createElement("span");
    details.className = "claim-meta";
    details.textContent = meta.join(" · ");
    const draft = document.createElement("span");
    draft.className = "draft-mark";
    draft.textContent = "unsaved";
    button.append(chip, excerpt, details, draft);
    item.append(button);
    return item;
  }

  // ---- mouse and keyboard ----

  onTextClick(event) {
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed) return; // the user is selecting text
    const mark = event.target.closest && event.target.closest("mark[data-annotation-id]");
    if (!mark) return;
    this.cycleAt(mark);
  }

  // Repeated clicks on overlapping spans walk from the innermost outwards.
  cycleAt(element) {
    const ids = this.highlighter.idsAt(element);
    if (!ids.length) return;
    const index = ids.indexOf(this.selectedId);
    const next = index === -1 ? ids[ids.length - 1] : ids[(index - 1 + ids.length) % ids.length];
    this.select(next);
  }

  onTextFocus() {
    // Keyboard users get a caret at the start of the text to move with the arrow keys.
    const selection = document.getSelection();
    if (selection && (selection.rangeCount === 0 || !this.container.contains(selection.anchorNode))) {
      const { node, offset } = this.highlighter.domPosition(0);
      selection.collapse(node, offset);
    }
    this.updateCaret();
  }

  // Caret navigation inside the (non-editable) text: arrows move, Shift+arrows select,
  // Ctrl/Alt+arrows by word, Home/End by line. Directions are visual, so RTL text works.
  onTextKey(event) {
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
        this.cycleAt(element);
      }
      return;
    }
    const move = moves[event.key];
    if (!move || event.metaKey) return;
    event.preventDefault();
    if (selection.rangeCount === 0 || !this.container.contains(selection.focusNode)) this.onTextFocus();
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
    if (!show) {
      this.caret.hidden = true;
      return;
    }
    const rect = selection.getRangeAt(0).getClientRects()[0];
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
    if (rect && (rect.top < this.barHeight || rect.bottom > window.innerHeight)) {
      window.scrollBy({ top: rect.top - window.innerHeight / 2 });
      this.updateCaret();
    }
  }

  onKey(event) {
    if (event.defaultPrevented || event.isComposing) return;
    const inField = isFormField(event.target);
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && key.toLowerCase() === "z") {
      if (inField) return; // the browser's own undo inside the field
      event.preventDefault();
      this.undo();
      return;
    }
    if (inField) {
      if (key === "Escape") event.target.blur();
      return;
    }
    if (this.suggestions.onKey(event)) return;
    if (key === "Escape") {
      const selection = document.getSelection();
      if (selection && !selection.isCollapsed && this.container.contains(selection.anchorNode)) {
        this.clearTextSelection();
      } else if (this.selectedId) {
        this.select(null);
      }
      this.updateCaret();
      return;
    }
    if ((key === "Delete" || key === "Backspace") && this.selectedId && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.deleteSpan(this.selectedId);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || key.length !== 1) return;
    const slug = this.shortcuts.get(key.toLowerCase()) || this.shortcutCodes.get(event.code);
    if (slug) {
      event.preventDefault();
      this.applyLabel(slug);
    }
  }

  async toggleDone(form) {
    const button = form.querySelector("button[type=submit]");
    const field = form.elements.done;
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { done } = await response.json();
      field.value = done ? "0" : "1";
      button.textContent = done ? "Done ✓" : "Mark as done";
      button.setAttribute("aria-pressed", String(done));
      button.classList.toggle("is-done", done);
      this.status.show(done ? "Marked as done." : "Marked as not done.", "ok");
    } catch (error) {
      this.status.error(`Could not change the done mark: ${error.message}`, () => this.toggleDone(form));
    } finally {
      button.disabled = false;
    }
  }
}

const data = JSON.parse(document.getElementById("annotator-data").textContent);
const annotator = new Annotator(data);
annotator.start();
