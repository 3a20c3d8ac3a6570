// The annotate page: select text, choose a label, describe the span, undo, mark done,
// move to the next article.
//
// The page arrives with everything it needs as JSON (#annotator-data): the article text,
// the vocabularies, the current user's own spans, the server's rules (defaults, limits)
// and the neighbouring articles. Writes go through /api/ one at a time (WriteQueue), so
// undo always applies to what the server has.
//
// The parts: TextSelection (selection and caret), Highlighter (drawing spans), SpanPanel
// (one span's fields), SpanList ("My spans"), DeletedList, UndoStack, PageKeys and
// Messages. This module holds the page's state and its writes.
//
// Offsets: the API counts Unicode code points, the DOM counts UTF-16 code units;
// OffsetMap converts, and a selection never ends inside a surrogate pair.

import { Api } from "./api.js";
import { installLabelColours } from "./chips.js";
import { DeletedList } from "./deleted.js";
import { Highlighter } from "./highlights.js";
import { PageKeys } from "./keys.js";
import { Messages } from "./messages.js";
import { OffsetMap } from "./offsets.js";
import { readJson } from "./page_data.js";
import { Drafts, SpanPanel, fieldsOf, payloadOf, sameFields } from "./panel.js";
import { Relations } from "./relations.js";
import { TextSelection } from "./selection.js";
import { SpanList } from "./span_list.js";
import { Suggestions } from "./suggestions.js";
import { UndoStack } from "./undo.js";
import { WriteQueue, retryable } from "./writes.js";

class Annotator {
  constructor(data) {
    this.data = data;
    this.article = data.article;
    this.text = data.article.text;
    this.rules = data.rules;
    this.api = new Api(data.urls.api);
    this.offsets = new OffsetMap(this.text);
    this.labels = new Map(data.labels.map((label) => [label.slug, label]));
    this.annotations = new Map();
    this.selectedId = null;
    this.writes = new WriteQueue();
    this.drafts = new Drafts();
    this.barHeight = 0;

    const container = document.querySelector("[data-article-text]");
    this.container = container;
    this.highlighter = new Highlighter(container, this.text, this.offsets);
    this.selection = new TextSelection(container, document.querySelector("[data-text-caret]"), this.highlighter, {
      text: this.text,
      barHeight: () => this.barHeight,
      onOpenAt: (element) => this.cycleAt(element),
    });
    this.messages = new Messages({
      page: document.querySelector("[data-message=page]"),
      span: document.querySelector("[data-message=span]"),
      deleted: document.querySelector("[data-message=deleted]"),
    });
    this.undoStack = new UndoStack(document.querySelector("[data-action=undo]"));
    this.panel = new SpanPanel(document.querySelector("[data-side-panel]"), {
      api: this.api,
      drafts: this.drafts,
      labels: this.labels,
      rules: this.rules,
      onSave: (id, fields, version) => this.saveFields(id, fields, version),
      onInvalid: (message) => this.messages.at("span").error(message),
      onDelete: (id) => this.deleteSpan(id),
      onClose: () => this.select(null),
      onSelect: (id) => this.select(id, { scroll: true }),
      onTakeTheirs: (id, current) => this.takeTheirs(id, current),
      onDraftChange: (id) => this.list.markDraft(id),
    });
    this.list = new SpanList(document.querySelector("[data-span-list]"), document.querySelector("[data-span-count]"), {
      article: this.article,
      labels: this.labels,
      claimTypes: new Map(data.claimTypes.map((item) => [item.slug, item.name])),
      verdicts: new Map(data.verdicts.map((item) => [item.slug, item.name])),
      defaultVerdict: this.rules.defaultVerdict,
      drafts: this.drafts,
      onOpen: (id) => this.select(id, { scroll: true }),
    });
    this.deleted = new DeletedList(document.querySelector("[data-deleted]"), {
      api: this.api,
      article: this.article,
      user: data.user,
      labels: this.labels,
      pageSize: this.rules.maxPageSize,
      messages: this.messages.at("deleted"),
      isLive: (id) => this.annotations.has(id),
      onRestore: (id) => this.restoreSpan(id),
    });
    this.keys = new PageKeys({
      labels: data.labels,
      articleKeys: this.rules.keys,
      actions: {
        undo: () => this.undo(),
        escape: () => this.escape(),
        deleteOpen: () => {
          if (!this.selectedId) return false;
          this.deleteSpan(this.selectedId);
          return true;
        },
        applyLabel: (slug) => this.applyLabel(slug),
        // Suggestions have keys of their own (] [ Enter x Esc) while one is focused.
        intercept: (event) => this.suggestions.onKey(event),
        nextArticle: () => this.goTo("next"),
        previousArticle: () => this.goTo("previous"),
      },
    });
    this.relations = new Relations(this);
    this.suggestions = new Suggestions(this, { enabled: Boolean(data.suggestions && data.suggestions.enabled) });
  }

  start() {
    installLabelColours(this.data.labels);
    this.trackBarHeight();
    for (const annotation of this.data.annotations) this.annotations.set(String(annotation.id), annotation);
    // Phase marks (start, drawn, listed, ready) show where a slow load spends its time in
    // the browser's performance panel; bench/ui.py reads "annotator:ready".
    performance.mark("annotator:start");
    this.highlighter.load(this.data.annotations);
    performance.mark("annotator:drawn");
    this.list.load(this.data.annotations);
    performance.mark("annotator:listed");
    this.deleted.load(this.data.deleted || [], Boolean(this.data.moreDeleted));
    this.bind();
    this.relations.load();
    this.suggestions.load();
    // Ready means laid out: the forced layout here is the one the browser does anyway.
    this.container.getBoundingClientRect();
    performance.mark("annotator:ready");
    document.body.dataset.ready = "1";
  }

  // The side panel sticks just below the top bar, whose height depends on the title.
  trackBarHeight() {
    const bar = document.querySelector("[data-annotator-bar]");
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
    this.undoStack.button.addEventListener("click", () => this.undo());
    this.selection.bind();
    this.keys.bind();
    const doneForm = document.querySelector("[data-done-form]");
    doneForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.toggleDone(doneForm);
    });
  }

  // Messages about the open span go beside its panel; the rest beside the top bar's tools.
  messagesFor(id) {
    return this.messages.at(id != null && this.panel.id === String(id) ? "span" : "page");
  }

  applyLabel(slug) {
    const range = this.selection.range();
    if (range) return this.createSpan(range.start, range.end, slug);
    if (this.selectedId) return this.changeLabel(this.selectedId, slug);
    this.messages.at("page").show("Select some text in the article first, then choose a label.");
    return null;
  }

  escape() {
    if (this.selection.hasSelection()) this.selection.clear();
    else if (this.selectedId) this.select(null);
    this.selection.updateCaret();
  }

  goTo(which) {
    const url = this.data.nav[which];
    if (url) window.location.assign(url);
    else this.messages.at("page").show(which === "next" ? "This is the last article of the list." : "This is the first article of the list.");
  }

  // ---- writes (one at a time) ----

  createSpan(start, end, slug) {
    const body = {
      article: this.article.id,
      start: this.offsets.toCodePoint(start),
      end: this.offsets.toCodePoint(end),
      text: this.text.slice(start, end),
      label: slug,
    };
    const label = this.labels.get(slug);
    const messages = this.messages.at("page");
    messages.show("Saving the span…", "busy");
    return this.writes.push(async () => {
      let created;
      performance.mark("annotator:request");
      try {
        created = await this.api.post("annotations/", body);
      } catch (error) {
        const retry = retryable(error) ? () => this.createSpan(start, end, slug) : null;
        messages.error(`The span was not saved: ${error.message}`, retry);
        return;
      }
      performance.mark("annotator:response");
      this.addAnnotation(created);
      this.selection.clear();
      this.select(created.id);
      this.undoStack.push({ type: "create", id: String(created.id) });
      this.updated();
      this.messagesFor(created.id).show(`${label ? label.name : slug} saved.`, "ok");
    });
  }

  changeLabel(id, slug) {
    const current = this.annotations.get(id);
    if (!current || current.label === slug) return null;
    return this.writes.push(() => this.patch(id, { label: slug }, { undo: { label: current.label } }));
  }

  saveFields(id, fields, version) {
    if (!this.annotations.has(id)) return null;
    this.messagesFor(id).show("Saving…", "busy");
    return this.writes.push(async () => {
      const before = payloadOf(fieldsOf(this.annotations.get(id), this.rules.defaultRelation));
      let updated;
      performance.mark("annotator:request");
      try {
        const payload = payloadOf(fields, this.panel.skippedFor(fields.label));
        updated = await this.api.patch(`annotations/${id}/`, { version, ...payload });
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
      this.list.markDraft(id);
      this.undoStack.push({ type: "edit", id, before });
      this.updated();
      this.messagesFor(id).show("Saved.", "ok");
    });
  }

  // A PATCH that is not the panel's Save (label key, undo of an edit).
  async patch(id, changes, { undo = null, message = "Saved." } = {}) {
    const current = this.annotations.get(id);
    let updated;
    try {
      updated = await this.api.patch(`annotations/${id}/`, { version: current.version, ...changes });
    } catch (error) {
      this.reportWriteError(id, error, () => this.writes.push(() => this.patch(id, changes, { undo, message })));
      return false;
    }
    this.applyUpdate(updated);
    const fresh = fieldsOf(updated, this.rules.defaultRelation);
    this.drafts.rebase(id, updated.version, Object.fromEntries(Object.keys(changes).map((key) => [key, fresh[key]])));
    this.panel.refresh(updated, Object.keys(changes));
    if (undo) this.undoStack.push({ type: "edit", id, before: undo });
    this.messagesFor(id).show(message, "ok");
    return true;
  }

  reportWriteError(id, error, retry) {
    if (error.status === 409 && error.data && error.data.current) {
      if (this.selectedId !== id) this.select(id, { scroll: true });
      this.panel.showConflict(error.data.current, error.data.detail);
      this.messagesFor(id).error("Not saved: this span was changed elsewhere. Reload theirs or overwrite with yours.");
    } else if (error.status === 400) {
      if (this.selectedId === id) this.panel.showErrors(error.data);
      this.messagesFor(id).error(`Not saved: ${error.message}`);
    } else {
      // Network or server trouble: the edit stays in the panel and in localStorage.
      this.messagesFor(id).error(`Not saved: ${error.message}`, retryable(error) ? retry : null);
    }
  }

  takeTheirs(id, current) {
    this.drafts.clear(id);
    this.applyUpdate(current);
    this.list.markDraft(id);
    this.panel.open(current, this.overlapsOf(id));
    this.messagesFor(id).show("Showing their version.", "ok");
  }

  deleteSpan(id) {
    if (!this.annotations.has(id)) return null;
    return this.writes.push(async () => {
      const snapshot = this.annotations.get(id);
      try {
        await this.api.delete(`annotations/${id}/`, { version: snapshot.version });
      } catch (error) {
        if (error.status === 409 && error.data && error.data.current) {
          this.applyUpdate(error.data.current);
          this.panel.refresh(error.data.current, []);
          this.messagesFor(id).error("Not deleted: this span was changed elsewhere (now shown). Delete again to delete it.");
        } else {
          const retry = retryable(error) ? () => this.deleteSpan(id) : null;
          this.messagesFor(id).error(`Not deleted: ${error.message}`, retry);
        }
        return;
      }
      this.removeAnnotation(id);
      this.drafts.clear(id);
      this.deleted.add({ ...snapshot, deleted_at: new Date().toISOString() });
      this.undoStack.push({ type: "delete", id });
      this.messages.at("page").show("Span deleted. Undo with Ctrl+Z.", "ok");
    });
  }

  // An older deletion, from the "Deleted spans" list.
  restoreSpan(id) {
    const messages = this.messages.at("deleted");
    messages.show("Restoring the span…", "busy");
    return this.writes.push(async () => {
      let restored;
      try {
        restored = await this.api.post(`annotations/${id}/restore/`, {});
      } catch (error) {
        this.deleted.restoreFailed(id);
        messages.error(`Not restored: ${error.message}`, retryable(error) ? () => this.restoreSpan(id) : null);
        return;
      }
      this.putRestored(restored);
      this.select(restored.id, { scroll: true });
      this.undoStack.push({ type: "restore", id });
      messages.show("Span restored. Undo with Ctrl+Z.", "ok");
    });
  }

  undo() {
    const entry = this.undoStack.pop();
    const messages = this.messages.at("page");
    if (!entry) {
      messages.show("Nothing to undo.");
      return null;
    }
    return this.writes.push(async () => {
      try {
        if (entry.type === "create" || entry.type === "restore") {
          const current = this.annotations.get(entry.id);
          if (current) {
            await this.api.delete(`annotations/${entry.id}/`, { version: current.version });
            this.removeAnnotation(entry.id);
            this.drafts.clear(entry.id);
            this.deleted.add({ ...current, deleted_at: new Date().toISOString() });
          }
          messages.show(entry.type === "create" ? "Undone: the new span is removed." : "Undone: the span is deleted again.", "ok");
        } else if (entry.type === "delete") {
          const restored = await this.api.post(`annotations/${entry.id}/restore/`, {});
          this.putRestored(restored);
          this.select(restored.id, { scroll: true });
          messages.show("Undone: the span is back.", "ok");
        } else if (entry.type === "edit") {
          const ok = await this.patch(entry.id, entry.before, { message: "Undone: the previous values are back." });
          if (!ok) this.undoStack.push(entry);
        }
      } catch (error) {
        this.undoStack.push(entry);
        messages.error(`Undo failed: ${error.message}`, () => this.undo());
      }
    });
  }

  // ---- local state ----

  addAnnotation(annotation) {
    this.annotations.set(String(annotation.id), annotation);
    this.highlighter.add(annotation);
    this.list.put(annotation);
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
    this.list.put(annotation);
    if (id === this.selectedId) this.list.setCurrent(id);
  }

  removeAnnotation(id) {
    this.annotations.delete(id);
    this.highlighter.remove(id);
    if (this.selectedId === id) this.select(null);
    this.list.remove(id);
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
    const element = this.highlighter.reveal(id)[0];
    if (!element) return;
    const rect = element.getBoundingClientRect();
    if (rect.top < this.barHeight || rect.bottom > window.innerHeight) element.scrollIntoView({ block: "center" });
  }

  overlapsOf(id) {
    return this.highlighter.overlapping(id).map((other) => this.annotations.get(other));
  }

  select(id, { scroll = false } = {}) {
    const value = id == null ? null : String(id);
    const annotation = value ? this.annotations.get(value) : null;
    this.selectedId = annotation ? value : null;
    this.highlighter.select(this.selectedId);
    this.list.setCurrent(this.selectedId);
    this.relations.show(this.selectedId);
    if (!annotation) {
      this.panel.close();
      return;
    }
    this.panel.open(annotation, this.overlapsOf(value));
    if (scroll) this.ensureVisible(value);
  }

  // Repeated clicks on overlapping spans walk from the innermost outwards.
  cycleAt(element) {
    const ids = this.highlighter.idsAt(element);
    if (!ids.length) return;
    const index = ids.indexOf(this.selectedId);
    const next = index === -1 ? ids[ids.length - 1] : ids[(index - 1 + ids.length) % ids.length];
    this.select(next);
  }

  async toggleDone(form) {
    const button = form.querySelector("button[type=submit]");
    const field = form.elements.done;
    const messages = this.messages.at("page");
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
      const next = done && this.data.nav.next ? ` Next article: ${this.rules.keys.nextArticle} or the Next button.` : "";
      messages.show(done ? `Marked as done.${next}` : "Marked as not done.", "ok");
    } catch (error) {
      messages.error(`Could not change the done mark: ${error.message}`, () => this.toggleDone(form));
    } finally {
      button.disabled = false;
    }
  }
}

new Annotator(readJson("annotator-data")).start();
