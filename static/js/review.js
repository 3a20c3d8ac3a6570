// Adjudication page: every annotator's spans on one article, side by side, and the gold layer.
//
// Article text, span text, notes and names only ever reach the page through textContent
// (or DOM text nodes); nothing user-written goes through innerHTML, and every element that
// shows user text carries a direction (the article's for its own text, "auto" for the
// rest). Offsets from the server are Unicode code points; the browser's strings count
// UTF-16 units, so the text is handled as an array of code points and selections are
// converted back. Defaults, limits and the URL rule come from the server (config.rules).

import { Api } from "./api.js";
import { installLabelColours, labelChip } from "./chips.js";
import { trimWhitespace } from "./offsets.js";
import { readJson } from "./page_data.js";
import { isAllowedUrl } from "./source_picker.js";

const FIELD_NAMES = { claim_type: "Claim type", checkworthy: "Check-worthy", verdict: "Verdict", sources: "Sources" };

// Build an element; strings among the children become text nodes, never markup.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

class ReviewPage {
  constructor(config, state) {
    this.config = config;
    this.rules = config.rules;
    this.state = state;
    this.chars = Array.from(state.article.text);
    this.focused = null; // index of the row whose range is highlighted in the text
    this.selection = null; // {start, end} in code points, or null
    this.api = new Api("/");
    this.labels = new Map(config.labels.map((label) => [label.slug, label]));
    this.names = {
      claim_type: new Map(config.claim_types.map((c) => [c.slug, c.name])),
      verdict: new Map(config.verdicts.map((v) => [v.slug, v.name])),
    };
    this.textBox = document.querySelector("[data-review-text]");
    this.grid = document.querySelector("[data-review-grid]");
    this.statusLine = document.querySelector("[data-review-status]");
    this.summary = document.querySelector("[data-review-summary]");
    this.onlyDisagreements = document.querySelector("[data-only-disagreements]");
    this.addForm = document.querySelector("[data-gold-add]");
    this.selectionLine = document.querySelector("[data-gold-selection]");
  }

  start() {
    installLabelColours(this.config.labels);
    this.grid.addEventListener("click", (event) => this.onGridClick(event));
    this.onlyDisagreements.addEventListener("change", () => this.renderGrid());
    document.addEventListener("selectionchange", () => this.showSelection());
    this.addForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.addGold();
    });
    this.options(this.addForm.elements.label, this.config.labels, this.config.labels[0]?.slug);
    this.options(this.addForm.elements.claim_type, this.config.claim_types, null, "not set");
    this.options(this.addForm.elements.verdict, this.config.verdicts, this.rules.defaultVerdict);
    this.addForm.elements.note.maxLength = this.rules.noteMaxLength;
    this.render();
    document.body.dataset.ready = "1";
  }

  slice(start, end) {
    return this.chars.slice(start, end).join("");
  }

  say(message, kind = "info") {
    this.statusLine.textContent = message;
    this.statusLine.dataset.kind = kind;
  }

  // --- Server calls -------------------------------------------------------------------

  call(method, url, body) {
    return this.api.request(method, url.replace(/^\//, ""), body);
  }

  annotationUrl(id) {
    return this.config.urls.annotation.replace("{id}", String(id));
  }

  async reload() {
    this.state = await this.call("GET", this.config.urls.state);
    this.render();
  }

  async decide(kind, span) {
    try {
      const data = await this.call("POST", this.config.urls[kind].replace("{id}", String(span.id)));
      this.state = data.state;
      this.render();
      const who = span.annotator;
      this.say(
        kind === "accept"
          ? `Accepted ${who}'s span into the gold layer (gold span #${data.gold}).`
          : `Rejected ${who}'s span.`,
      );
    } catch (error) {
      this.say(`Could not ${kind} the span: ${error.message}`, "error");
    }
  }

  // --- Article text ---------------------------------------------------------------------

  allSpans() {
    const spans = [];
    for (const row of this.state.rows) {
      for (const span of Object.values(row.cells)) spans.push({ ...span, gold: false });
      for (const span of row.gold) spans.push({ ...span, gold: true });
    }
    return spans;
  }

  renderText() {
    const spans = this.allSpans();
    const cuts = new Set([0, this.chars.length]);
    for (const span of spans) {
      cuts.add(span.start);
      cuts.add(span.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const everyone = this.state.annotators.length;
    const row = this.focused === null ? null : this.state.rows[this.focused];
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i += 1) {
      const start = points[i];
      const end = points[i + 1];
      const covering = spans.filter((s) => s.start < end && s.end > start);
      const people = new Set(covering.filter((s) => !s.gold).map((s) => s.annotator));
      const segment = el("span", { class: "seg", "data-start": start, "data-end": end }, this.slice(start, end));
      if (people.size) {
        segment.dataset.cover = people.size === everyone && everyone > 1 ? "all" : "some";
        segment.title = `Marked by ${[...people].sort().join(", ")}`;
      }
      if (covering.some((s) => s.gold)) segment.dataset.gold = "1";
      if (row && start < row.end && end > row.start) segment.classList.add("focus");
      fragment.append(segment);
    }
    this.textBox.replaceChildren(fragment);
  }

  // A DOM point (node, offset in UTF-16 units) → a code point offset into the article.
  // A point inside a surrogate pair moves outward so a span never cuts a character.
  codePointAt(node, offset, isEnd) {
    if (node === this.textBox) {
      const child = this.textBox.children[offset];
      return child ? Number(child.dataset.start) : this.chars.length;
    }
    const segment = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(".seg");
    if (!segment || !this.textBox.contains(segment)) return null;
    let prefix;
    if (node.nodeType === Node.TEXT_NODE) prefix = node.textContent.slice(0, offset);
    else prefix = offset === 0 ? "" : segment.textContent;
    let count = Array.from(prefix).length;
    const last = prefix.charCodeAt(prefix.length - 1);
    if (!isEnd && last >= 0xd800 && last <= 0xdbff) count -= 1;
    return Number(segment.dataset.start) + count;
  }

  readSelection() {
    const current = window.getSelection();
    if (!current || current.rangeCount === 0 || current.isCollapsed) return null;
    const range = current.getRangeAt(0);
    if (!this.textBox.contains(range.startContainer) || !this.textBox.contains(range.endContainer)) return null;
    let start = this.codePointAt(range.startContainer, range.startOffset, false);
    let end = this.codePointAt(range.endContainer, range.endOffset, true);
    if (start === null || end === null) return null;
    // Leading and trailing white space is never part of a span (chars indexes by code point).
    [start, end] = trimWhitespace(this.chars, start, end);
    return end > start ? { start, end } : null;
  }

  showSelection() {
    this.selection = this.readSelection();
    const button = this.addForm.querySelector("button[type=submit]");
    button.disabled = this.selection === null;
    if (this.selection === null) {
      this.selectionLine.textContent = "Nothing selected.";
      return;
    }
    const { start, end } = this.selection;
    const quote = el("q", { lang: this.state.article.language, dir: this.state.article.direction }, this.slice(start, end));
    this.selectionLine.replaceChildren("Selected ", quote, ` (${start}–${end})`);
  }

  // --- Span cards ---------------------------------------------------------------------

  fieldValue(field, span) {
    if (field === "claim_type") return span.claim_type ? this.names.claim_type.get(span.claim_type) || span.claim_type : "not set";
    if (field === "checkworthy") return span.checkworthy === null ? "not set" : span.checkworthy ? "yes" : "no";
    if (field === "verdict") return span.verdict ? this.names.verdict.get(span.verdict) || span.verdict : "not set";
    if (field === "sources") return span.source_links.map((link) => link.name).join(", ") || "none";
    return "";
  }

  fieldsLine(span, differing = []) {
    const line = el("p", { class: "fields" }, labelChip(span.label, this.labels), ` ${span.start}–${span.end}`);
    const parts = [];
    // An attribution has no claim fields (server rule): nothing to show but its sources.
    if (this.rules.labelsWithoutClaimFields.includes(span.label)) return line;
    if (span.claim_type) parts.push(["claim_type", this.fieldValue("claim_type", span)]);
    if (span.checkworthy !== null) parts.push(["checkworthy", span.checkworthy ? "check-worthy" : "not check-worthy"]);
    if (span.verdict) parts.push(["verdict", this.fieldValue("verdict", span)]);
    for (const [field, value] of parts) {
      const item = el("span", { class: "field-value", dir: "auto", "data-field": field }, value);
      if (differing.includes(field)) item.classList.add("differs");
      line.append(" · ", item);
    }
    return line;
  }

  linksList(span, differing = []) {
    if (!span.source_links.length) return null;
    const list = el("ul", { class: `links${differing.includes("sources") ? " differs" : ""}` });
    for (const link of span.source_links) {
      const item = el("li", {}, el("bdi", {}, link.name), ` (${link.relation})`);
      if (link.url && isAllowedUrl(link.url, this.rules)) {
        item.append(" ", el("a", { href: link.url, rel: "noopener noreferrer", target: "_blank" }, "report"));
      }
      list.append(item);
    }
    return list;
  }

  quote(span) {
    return el("blockquote", { class: "quote", lang: this.state.article.language, dir: this.state.article.direction }, span.text);
  }

  note(span) {
    return span.note ? el("p", { class: "note", dir: "auto" }, span.note) : null;
  }

  candidateCard(span, differing) {
    const decision = span.decision || "undecided";
    const card = el("article", {
      class: `span-card candidate ${span.agreed ? "exact-all" : "differs"}`,
      "data-annotation-id": span.id,
      "data-annotator": span.annotator,
      "data-decision": decision,
    });
    const decisionText =
      decision === "accepted" ? `Accepted${span.gold ? ` → gold #${span.gold}` : ""}` : decision === "rejected" ? "Rejected" : "Undecided";
    const exact = span.exact_by.length > 1 ? `same span: ${span.exact_by.join(", ")}` : "only this annotator";
    card.append(
      this.quote(span),
      this.fieldsLine(span, differing),
      this.linksList(span, differing) || "",
      this.note(span) || "",
      el("p", { class: "decision" }, el("strong", {}, decisionText), ` · ${exact}`),
      el(
        "div",
        { class: "actions" },
        el("button", { type: "button", class: "accept", "data-action": "accept", "data-id": span.id, "aria-pressed": decision === "accepted" }, "Accept"),
        el("button", { type: "button", class: "reject", "data-action": "reject", "data-id": span.id, "aria-pressed": decision === "rejected" }, "Reject"),
      ),
    );
    return card;
  }

  options(select, entries, chosen, blank) {
    select.replaceChildren();
    if (blank !== undefined) select.append(el("option", { value: "" }, blank));
    for (const entry of entries) select.append(el("option", { value: entry.slug, selected: entry.slug === chosen, dir: "auto" }, entry.name));
  }

  goldCard(span) {
    const card = el("article", { class: "span-card gold", "data-annotation-id": span.id, "data-gold": "1" });
    const proposers = span.proposed_by.length ? `proposed by ${span.proposed_by.join(", ")}` : "added by the reviewer";
    card.append(
      this.quote(span),
      this.fieldsLine(span),
      this.linksList(span) || "",
      this.note(span) || "",
      el("p", { class: "decision" }, el("strong", {}, `Gold #${span.id}`), ` · ${proposers}`),
      el(
        "div",
        { class: "actions" },
        el("button", { type: "button", "data-action": "edit-gold", "data-id": span.id }, "Edit"),
        el("button", { type: "button", class: "reject", "data-action": "delete-gold", "data-id": span.id }, "Delete"),
      ),
    );
    return card;
  }

  goldEditor(span) {
    const form = el("form", { class: "gold-edit", "data-id": span.id });
    const claimType = el("select", { name: "claim_type" });
    this.options(claimType, this.config.claim_types, span.claim_type, "not set");
    const checkworthy = el("select", { name: "checkworthy" });
    checkworthy.append(
      el("option", { value: "", selected: span.checkworthy === null }, "not set"),
      el("option", { value: "true", selected: span.checkworthy === true }, "yes"),
      el("option", { value: "false", selected: span.checkworthy === false }, "no"),
    );
    const verdict = el("select", { name: "verdict" });
    this.options(verdict, this.config.verdicts, span.verdict || this.rules.defaultVerdict);
    const note = el("textarea", { name: "note", rows: 2, maxlength: this.rules.noteMaxLength, dir: "auto" });
    note.value = span.note;
    form.append(
      el("label", {}, "Claim type ", claimType),
      el("label", {}, "Check-worthy ", checkworthy),
      el("label", {}, "Verdict ", verdict),
      el("label", { class: "note-field" }, "Note ", note),
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Save"), el("button", { type: "button", "data-action": "cancel-edit" }, "Cancel")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {
        claim_type: claimType.value || null,
        checkworthy: checkworthy.value === "" ? null : checkworthy.value === "true",
        verdict: verdict.value || null,
        note: note.value,
        version: span.version,
      };
      try {
        await this.call("PATCH", this.annotationUrl(span.id), body);
        await this.reload();
        this.say(`Saved gold span #${span.id}.`);
      } catch (error) {
        if (error.status === 409) await this.reload();
        this.say(`Could not save gold span #${span.id}: ${error.message}`, "error");
      }
    });
    return form;
  }

  // --- The grid -------------------------------------------------------------------------

  // A row's kinds of disagreement: its spans (boundaries or label), its fields, or neither.
  rowKind(row) {
    if (row.gold_only) return "gold-only";
    const fields = (row.field_disagreements || []).length > 0;
    if (!row.agree) return "disagree";
    return fields ? "fields-differ" : "agree";
  }

  fieldDisagreements(row) {
    const list = el("ul", { class: "field-disagreements", "aria-label": "Fields the annotators disagree on" });
    for (const item of row.field_disagreements) {
      const entry = el("li", { "data-field": item.field }, el("strong", {}, `${FIELD_NAMES[item.field] || item.field}:`));
      for (const [annotator, value] of Object.entries(item.values)) {
        entry.append(" ", el("span", { class: "who", dir: "auto" }, annotator), " ", el("span", { class: "value", dir: "auto" }, this.describe(item.field, value)));
      }
      list.append(entry);
    }
    return list;
  }

  // A value as the server sends it in a field disagreement → words.
  describe(field, value) {
    if (field === "sources") return value.length ? value.map((slug) => this.sourceName(slug)).join(", ") : "none";
    return this.fieldValue(field, { claim_type: value, checkworthy: value, verdict: value, source_links: [] });
  }

  sourceName(slug) {
    for (const row of this.state.rows) {
      for (const span of Object.values(row.cells)) {
        const link = span.source_links.find((l) => l.source === slug);
        if (link) return link.name;
      }
    }
    return slug;
  }

  renderGrid() {
    const { state } = this;
    const head = el("tr", {}, el("th", { scope: "col" }, "Where"));
    for (const name of state.annotators) head.append(el("th", { scope: "col", dir: "auto" }, name));
    head.append(el("th", { scope: "col", class: "gold-col" }, "Gold"));
    this.grid.tHead.replaceChildren(head);

    const body = document.createDocumentFragment();
    state.rows.forEach((row, index) => {
      const kind = this.rowKind(row);
      if (this.onlyDisagreements.checked && (kind === "agree" || kind === "gold-only")) return;
      const tr = el("tr", { class: `${kind === "fields-differ" ? "disagree fields-differ" : kind}${index === this.focused ? " focused" : ""}`, "data-row": index });
      const fieldsDiffer = (row.field_disagreements || []).length > 0;
      const badges = [];
      if (kind === "gold-only") badges.push(["gold", "gold only"]);
      else if (kind === "agree") badges.push(["ok", "agree"]);
      else {
        if (!row.agree) badges.push(["warn", "spans differ"]);
        if (fieldsDiffer) badges.push(["warn", "fields differ"]);
      }
      const where = el(
        "th",
        { scope: "row" },
        el("button", { type: "button", class: "where", "data-action": "focus", "data-row": index }, `${row.start}–${row.end}`),
        el("br"),
        labelChip(row.label, this.labels),
        ...badges.map(([tone, text]) => el("span", { class: `row-badge ${tone}` }, text)),
      );
      if (fieldsDiffer) where.append(this.fieldDisagreements(row));
      tr.append(where);
      const differing = (row.field_disagreements || []).map((item) => item.field);
      for (const name of state.annotators) {
        const span = row.cells[name];
        tr.append(el("td", {}, span ? this.candidateCard(span, differing) : el("span", { class: "missing" }, "no span")));
      }
      const gold = el("td", { class: "gold-col" });
      if (row.gold.length) row.gold.forEach((span) => gold.append(this.goldCard(span)));
      else gold.append(el("span", { class: "missing" }, "—"));
      tr.append(gold);
      body.append(tr);
    });
    if (!body.childNodes.length) {
      const colspan = state.annotators.length + 2;
      const text = state.rows.length ? "No disagreements left." : "No spans on this article yet.";
      body.append(el("tr", {}, el("td", { colspan, class: "empty" }, text)));
    }
    this.grid.tBodies[0].replaceChildren(body);
  }

  renderSummary() {
    const s = this.state.summary;
    const parts = [
      `${plural(s.spans, "span")} by ${plural(this.state.annotators.length, "annotator")}`,
      plural(s.disagreements, "span disagreement"),
    ];
    if (s.field_disagreements !== undefined) parts.push(plural(s.field_disagreements, "field disagreement"));
    parts.push(`${s.decided} decided`, plural(s.gold, "gold span"));
    this.summary.textContent = parts.join(" · ");
  }

  render() {
    this.chars = Array.from(this.state.article.text);
    if (this.focused !== null && this.focused >= this.state.rows.length) this.focused = null;
    this.renderText();
    this.renderGrid();
    this.renderSummary();
  }

  findSpan(id) {
    for (const row of this.state.rows) {
      for (const span of Object.values(row.cells)) if (span.id === id) return span;
      for (const span of row.gold) if (span.id === id) return span;
    }
    return null;
  }

  async onGridClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "focus") {
      const index = Number(button.dataset.row);
      this.focused = this.focused === index ? null : index;
      this.render();
      this.textBox.querySelector(".seg.focus")?.scrollIntoView({ block: "center" });
      return;
    }
    if (action === "cancel-edit") {
      button.closest("td").querySelector("form.gold-edit")?.remove();
      return;
    }
    const span = this.findSpan(Number(button.dataset.id));
    if (!span) return;
    if (action === "accept" || action === "reject") {
      button.disabled = true;
      await this.decide(action, span);
    } else if (action === "edit-gold") {
      button.closest("td").querySelector("form.gold-edit")?.remove();
      button.closest(".span-card").after(this.goldEditor(span));
    } else if (action === "delete-gold") {
      if (!window.confirm(`Delete gold span #${span.id}?`)) return;
      try {
        await this.call("DELETE", this.annotationUrl(span.id), { version: span.version });
        await this.reload();
        this.say(`Deleted gold span #${span.id}.`);
      } catch (error) {
        this.say(`Could not delete gold span #${span.id}: ${error.message}`, "error");
      }
    }
  }

  async addGold() {
    if (!this.selection) return;
    const data = new FormData(this.addForm);
    const { start, end } = this.selection;
    const body = {
      start,
      end,
      text: this.slice(start, end),
      label: data.get("label"),
      claim_type: data.get("claim_type") || null,
      checkworthy: data.get("checkworthy") === "" ? null : data.get("checkworthy") === "true",
      verdict: data.get("verdict") || null,
      note: data.get("note") || "",
    };
    try {
      const result = await this.call("POST", this.config.urls.gold, body);
      this.state = result.state;
      window.getSelection().removeAllRanges();
      this.addForm.reset();
      this.render();
      this.say(`Added gold span #${result.gold}.`);
    } catch (error) {
      this.say(`Could not add the gold span: ${error.message}`, "error");
    }
  }
}

new ReviewPage(readJson("review-config"), readJson("review-state")).start();
