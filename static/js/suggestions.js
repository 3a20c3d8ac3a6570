// Suggestions on the annotate page: dashed outlines over the text, one focused at a time.
//
// Keys (outside form fields): ] and [ move between suggestions, Enter accepts the focused
// one, x dismisses it, Esc lets go of it. Accepting an attribution writes, in one step,
// the attribution span, the claim it pairs with, the relation between them and the
// registry sources it names (as "attributed" links on both spans). Accepted spans are
// ordinary spans: they go through the annotator's write queue, land on its undo stack and
// meet the same errors (400, 409) as any other write.
//
// The outlines are boxes in a layer above the text, placed from Range client rects, so the
// highlighter's DOM is never touched; they never take the pointer. Suggestion text is shown with textContent only.

const MOVE_KEYS = new Set(["]", "["]);

export class Suggestions {
  constructor(annotator, { enabled }) {
    this.annotator = annotator;
    this.enabled = enabled;
    this.items = []; // in reading order: {id, start, end (code points), startUnit, endUnit, label, ...}
    this.byId = new Map();
    this.focusedId = null;
    this.busy = false;
    this.layer = null;
    this.panel = null;
    this.frame = 0;
  }

  async load() {
    if (!this.enabled) return;
    this.installColours();
    this.buildLayer();
    this.buildPanel();
    let data;
    try {
      data = await this.annotator.api.get(`articles/${this.annotator.article.id}/suggestions/`);
    } catch (error) {
      this.annotator.messages.at("page").error(`Suggestions could not be loaded: ${error.message}`, () => this.load());
      return;
    }
    const offsets = this.annotator.offsets;
    this.items = data.suggestions.map((item) => ({
      ...item,
      startUnit: offsets.toUtf16(item.start),
      endUnit: offsets.toUtf16(item.end),
    }));
    this.byId = new Map(this.items.map((item) => [item.id, item]));
    this.render();
    new ResizeObserver(() => this.schedule()).observe(this.annotator.container);
    window.addEventListener("scroll", () => this.schedule(), { passive: true });
    // The highlighter redraws paragraphs when spans change; the boxes follow the text.
    new MutationObserver(() => this.schedule()).observe(this.annotator.container, { childList: true, subtree: true });
    document.body.dataset.suggestionsReady = "1";
  }

  installColours() {
    const sheet = new CSSStyleSheet();
    for (const label of this.annotator.labels.values()) {
      const colour = /^#[0-9a-f]{6}$/i.test(label.color) ? label.color : "#ffd54f";
      sheet.insertRule(`[data-suggestion-label="${CSS.escape(label.slug)}"] { --label-color: ${colour}; }`);
    }
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }

  buildLayer() {
    this.layer = document.createElement("div");
    this.layer.className = "suggestion-layer";
    this.layer.setAttribute("aria-hidden", "true");
    this.annotator.container.parentElement.append(this.layer);
    // The boxes let the pointer through (text is still selected by dragging across them);
    // a plain click in the text focuses the suggestion under it.
    this.annotator.container.addEventListener("click", () => {
      const selection = document.getSelection();
      if (!selection || !selection.isCollapsed || !this.annotator.container.contains(selection.anchorNode)) return;
      const offset = this.annotator.highlighter.textOffset(selection.anchorNode, selection.anchorOffset);
      const hit = this.items.find((item) => item.startUnit <= offset && offset < item.endUnit);
      if (hit) this.focus(hit.id, { scroll: false });
    });
  }

  buildPanel() {
    const panel = document.createElement("section");
    panel.className = "suggestion-panel";
    panel.setAttribute("aria-labelledby", "suggestions-heading");
    const heading = document.createElement("h2");
    heading.id = "suggestions-heading";
    heading.append("Suggestions ");
    this.countElement = document.createElement("span");
    this.countElement.className = "count";
    this.countElement.dataset.suggestionCount = "";
    heading.append(this.countElement);
    const help = document.createElement("p");
    help.className = "muted";
    help.textContent = "] next · [ previous · Enter accept · x dismiss";
    this.card = document.createElement("div");
    this.card.className = "suggestion-card";
    this.card.setAttribute("role", "status");
    this.card.setAttribute("aria-live", "polite");
    const actions = document.createElement("div");
    actions.className = "suggestion-actions";
    this.acceptButton = this.button("Accept", "accept-suggestion", () => this.accept(this.focusedId));
    this.dismissButton = this.button("Dismiss", "dismiss-suggestion", () => this.dismiss(this.focusedId));
    this.allButton = this.button("Accept all attributions", "accept-all-attributions", () => this.acceptAllAttributions());
    actions.append(this.acceptButton, this.dismissButton, this.allButton);
    panel.append(heading, help, this.card, actions);
    const side = document.querySelector(".side-panel");
    side.prepend(panel);
    this.panel = panel;
  }

  button(text, action, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.dataset.action = action;
    button.textContent = text;
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", onClick);
    return button;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  // One box per line the suggestion covers; the focused one is drawn solid. Only the
  // suggestions within a screen of the viewport (and the focused one) get boxes: measuring
  // every suggestion of a 100,000-word article would lay out all of it on every change.
  render() {
    if (!this.layer) return;
    const highlighter = this.annotator.highlighter;
    const frame = this.layer.parentElement.getBoundingClientRect();
    const fragment = document.createDocumentFragment();
    const margin = window.innerHeight;
    const nearBlocks = new Map(); // block index -> within a screen of the viewport?
    const isNear = (unit) => {
      const index = highlighter.blockIndexAt(unit);
      if (!nearBlocks.has(index)) {
        const rect = highlighter.blocks[index].element.getBoundingClientRect();
        nearBlocks.set(index, rect.bottom > -margin && rect.top < window.innerHeight + margin);
      }
      return nearBlocks.get(index);
    };
    for (const item of this.items) {
      if (!highlighter.blocks.length) break;
      if (item.id !== this.focusedId && !isNear(item.startUnit) && !isNear(Math.max(item.startUnit, item.endUnit - 1))) {
        continue;
      }
      const range = document.createRange();
      const from = highlighter.domPosition(item.startUnit);
      const to = highlighter.domPosition(item.endUnit);
      if (!from.node || !to.node) continue;
      range.setStart(from.node, from.offset);
      range.setEnd(to.node, to.offset);
      for (const rect of range.getClientRects()) {
        if (rect.width < 1) continue;
        const box = document.createElement("div");
        box.className = "suggestion-box";
        if (item.id === this.focusedId) box.classList.add("is-focused");
        box.dataset.suggestionId = item.id;
        box.dataset.suggestionLabel = item.label;
        box.style.top = `${rect.top - frame.top}px`;
        box.style.left = `${rect.left - frame.left}px`;
        box.style.width = `${rect.width}px`;
        box.style.height = `${rect.height}px`;
        fragment.append(box);
      }
    }
    this.layer.replaceChildren(fragment);
    this.renderCard();
  }

  renderCard() {
    this.countElement.textContent = String(this.items.length);
    const item = this.byId.get(this.focusedId);
    this.acceptButton.disabled = !item || this.busy;
    this.dismissButton.disabled = !item || this.busy;
    this.allButton.disabled = this.busy || !this.items.some((s) => s.label === "attribution");
    if (!item) {
      const empty = document.createElement("p");
      empty.className = "muted";
      empty.textContent = this.items.length ? "Press ] to go to the first suggestion." : "No suggestions left.";
      this.card.replaceChildren(empty);
      return;
    }
    const label = this.annotator.labels.get(item.label);
    const chip = document.createElement("span");
    chip.className = "label-chip";
    chip.dataset.suggestionLabel = item.label;
    chip.textContent = label ? label.name : item.label;
    const quote = document.createElement("blockquote");
    quote.className = "span-quote";
    quote.dir = "auto";
    quote.lang = this.annotator.article.language;
    quote.dataset.suggestionText = "";
    quote.textContent = item.text;
    const reason = document.createElement("p");
    reason.className = "suggestion-reason";
    reason.dir = "auto";
    reason.textContent = `${item.reason} (score ${item.score.toFixed(2)})`;
    const parts = [chip, quote, reason];
    if (item.sources.length) {
      const sources = document.createElement("p");
      sources.className = "suggestion-sources";
      sources.dir = "auto";
      sources.textContent = `Sources: ${item.sources.join(", ")}`;
      parts.push(sources);
    }
    const pair = this.byId.get(item.pair);
    if (pair) {
      const attributes = document.createElement("p");
      attributes.className = "suggestion-pair";
      attributes.dir = "auto";
      attributes.textContent = `attributes → ${pair.text}`;
      parts.push(attributes);
    }
    this.card.replaceChildren(...parts);
  }

  focus(id, { scroll = true } = {}) {
    this.focusedId = id && this.byId.has(id) ? id : null;
    for (const box of this.layer.querySelectorAll(".suggestion-box")) {
      box.classList.toggle("is-focused", box.dataset.suggestionId === this.focusedId);
    }
    this.renderCard();
    if (scroll && this.focusedId) {
      const selector = `[data-suggestion-id="${CSS.escape(this.focusedId)}"]`;
      if (!this.layer.querySelector(selector)) this.render(); // far away: it has no box yet
      const box = this.layer.querySelector(selector);
      if (box) box.scrollIntoView({ block: "center", behavior: "instant" });
    }
  }

  move(step) {
    if (!this.items.length) return;
    const index = this.items.findIndex((item) => item.id === this.focusedId);
    const next = index === -1 ? (step > 0 ? 0 : this.items.length - 1) : (index + step + this.items.length) % this.items.length;
    this.focus(this.items[next].id);
  }

  // The annotator's key handler asks first; true means the key was ours.
  onKey(event) {
    if (!this.enabled || !this.layer || event.ctrlKey || event.metaKey || event.altKey) return false;
    const key = event.key;
    if (MOVE_KEYS.has(key)) {
      event.preventDefault();
      this.move(key === "]" ? 1 : -1);
      return true;
    }
    if (!this.focusedId) return false;
    // A text selection waiting for a label keeps its own keys.
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed && this.annotator.container.contains(selection.anchorNode)) return false;
    if (key === "Enter") {
      event.preventDefault();
      this.accept(this.focusedId);
      return true;
    }
    if (key === "x" || key === "X" || event.code === "KeyX") {
      event.preventDefault();
      this.dismiss(this.focusedId);
      return true;
    }
    if (key === "Escape") {
      this.focus(null);
      return true;
    }
    return false;
  }

  // Drop suggestions a new span of the same label overlaps (the server does the same on load).
  annotationAdded(annotation) {
    const covered = this.items.filter(
      (item) => item.label === annotation.label && item.start < annotation.end && annotation.start < item.end,
    );
    for (const item of covered) this.forget(item.id);
  }

  forget(id) {
    if (!this.byId.has(id)) return;
    const index = this.items.findIndex((item) => item.id === id);
    this.items.splice(index, 1);
    this.byId.delete(id);
    for (const item of this.items) if (item.pair === id) item.pair = null;
    if (this.focusedId === id) this.focusedId = this.items[Math.min(index, this.items.length - 1)]?.id || null;
    this.schedule(); // next frame: a new span's update does not wait for every box
    this.renderCard();
  }

  async dismiss(id) {
    const item = this.byId.get(id);
    if (!item) return;
    try {
      await this.annotator.api.post(`articles/${this.annotator.article.id}/suggestions/${id}/dismiss/`, {});
    } catch (error) {
      this.annotator.messages.at("page").error(`The suggestion was not dismissed: ${error.message}`, () => this.dismiss(id));
      return;
    }
    this.forget(id);
    this.annotator.messages.at("page").show("Suggestion dismissed.", "ok");
  }

  accept(id) {
    const item = this.byId.get(id);
    if (!item || this.busy) return null;
    const pair = item.label === "attribution" ? this.byId.get(item.pair) : null;
    return this.write(async () => {
      const links = item.sources.map((source) => ({ source, relation: "attributed" }));
      const made = await this.createSpan(item, links);
      if (!made) return false;
      if (!pair) return true;
      const claim = await this.createSpan(pair, links);
      if (!claim) return false;
      try {
        this.annotator.relations.added(
          await this.annotator.api.post("relations/", { from: made.id, to: claim.id, type: "attribution" }),
        );
      } catch (error) {
        this.annotator.messages.at("page").error(`The spans were saved but not linked: ${error.message}`);
        return false;
      }
      return true;
    }, item.label === "attribution" && pair ? "Attribution, claim and link saved." : "Suggestion accepted.");
  }

  acceptAllAttributions() {
    const ids = this.items.filter((item) => item.label === "attribution").map((item) => item.id);
    return this.write(async () => {
      for (const id of ids) {
        const item = this.byId.get(id);
        if (!item) continue;
        const pair = this.byId.get(item.pair);
        const links = item.sources.map((source) => ({ source, relation: "attributed" }));
        const made = await this.createSpan(item, links);
        if (!made) return false;
        if (!pair) continue;
        const claim = await this.createSpan(pair, links);
        if (!claim) return false;
        this.annotator.relations.added(
          await this.annotator.api.post("relations/", { from: made.id, to: claim.id, type: "attribution" }),
        );
      }
      return true;
    }, `${ids.length} attributions accepted.`);
  }

  // Writes run in the annotator's queue, one at a time, like every other write on the page.
  write(task, message) {
    this.busy = true;
    this.renderCard();
    this.annotator.messages.at("page").show("Saving…", "busy");
    return this.annotator.writes
      .push(async () => {
        try {
          if (await task()) this.annotator.messages.at("page").show(message, "ok");
        } catch (error) {
          this.annotator.messages.at("page").error(`Not saved: ${error.message}`);
        }
      })
      .finally(() => {
        this.busy = false;
        this.renderCard();
      });
  }

  async createSpan(item, links) {
    const body = {
      article: this.annotator.article.id,
      start: item.start,
      end: item.end,
      text: item.text,
      label: item.label,
      source_links: links,
    };
    let created;
    // The same marks as the annotator's own writes: bench/ui.py measures between them.
    performance.mark("annotator:request");
    try {
      created = await this.annotator.api.post("annotations/", body);
    } catch (error) {
      this.annotator.messages.at("page").error(`The ${item.label} was not saved: ${error.message}`);
      return null;
    }
    performance.mark("annotator:response");
    this.annotator.addAnnotation(created);
    this.annotator.undoStack.push({ type: "create", id: String(created.id) });
    this.annotator.updated();
    this.forget(item.id);
    return created;
  }
}
