// Adjudication page: every annotator's spans on one article, side by side, and the gold layer.
//
// Article text, span text, notes and names only ever reach the page through textContent
// (or DOM text nodes); nothing user-written goes through innerHTML. Offsets from the
// server are Unicode code points; the browser's strings count UTF-16 units, so the text
// is handled as an array of code points and selections are converted back.

import { Api } from "./api.js";
import { trimWhitespace } from "./offsets.js";

const config = readJSON("review-config");
let state = readJSON("review-state");
let chars = Array.from(state.article.text);
let focused = null; // index of the row whose range is highlighted in the text
let selection = null; // {start, end} in code points, or null

const textBox = document.querySelector("[data-testid=article-text]");
const grid = document.querySelector("[data-testid=adjudication-grid]");
const statusLine = document.querySelector("[data-testid=review-status]");
const summary = document.querySelector("[data-testid=review-summary]");
const onlyDisagreements = document.querySelector("[data-testid=only-disagreements]");
const addForm = document.querySelector("[data-testid=gold-add]");
const selectionLine = document.querySelector("[data-testid=gold-selection]");

const names = {
  label: new Map(config.labels.map((l) => [l.slug, l.name])),
  claim_type: new Map(config.claim_types.map((c) => [c.slug, c.name])),
  verdict: new Map(config.verdicts.map((v) => [v.slug, v.name])),
};
const colors = new Map(config.labels.map((l) => [l.slug, l.color]));

function readJSON(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

// Build an element; strings among the children become text nodes, never markup.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function slice(start, end) {
  return chars.slice(start, end).join("");
}

function say(message, kind = "info") {
  statusLine.textContent = message;
  statusLine.dataset.kind = kind;
}

// --- Server calls ---------------------------------------------------------------------

// Same client as the annotate page (CSRF header, DRF errors as one sentence, ApiError.status).
const api = new Api("/");

function call(method, url, body) {
  return api.request(method, url.replace(/^\//, ""), body);
}

function annotationUrl(id) {
  return config.urls.annotation.replace(/\/0\/$/, `/${id}/`);
}

function actionUrl(kind, id) {
  return config.urls[kind].replace(/\/0\/(accept|reject)\/$/, `/${id}/$1/`);
}

async function reload() {
  state = await call("GET", config.urls.state);
  render();
}

async function decide(kind, span) {
  try {
    const data = await call("POST", actionUrl(kind, span.id));
    state = data.state;
    render();
    const who = span.annotator;
    say(
      kind === "accept"
        ? `Accepted ${who}'s span into the gold layer (gold span #${data.gold}).`
        : `Rejected ${who}'s span.`,
    );
  } catch (error) {
    say(`Could not ${kind} the span: ${error.message}`, "error");
  }
}

// --- Article text -----------------------------------------------------------------------

function allSpans() {
  const spans = [];
  for (const row of state.rows) {
    for (const span of Object.values(row.cells)) spans.push({ ...span, gold: false });
    for (const span of row.gold) spans.push({ ...span, gold: true });
  }
  return spans;
}

function renderText() {
  const spans = allSpans();
  const cuts = new Set([0, chars.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const everyone = state.annotators.length;
  const row = focused === null ? null : state.rows[focused];
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    const covering = spans.filter((s) => s.start < end && s.end > start);
    const people = new Set(covering.filter((s) => !s.gold).map((s) => s.annotator));
    const segment = el("span", { class: "seg", "data-start": start, "data-end": end }, slice(start, end));
    if (people.size) {
      segment.dataset.cover = people.size === everyone && everyone > 1 ? "all" : "some";
      segment.title = `Marked by ${[...people].sort().join(", ")}`;
    }
    if (covering.some((s) => s.gold)) segment.dataset.gold = "1";
    if (row && start < row.end && end > row.start) segment.classList.add("focus");
    fragment.append(segment);
  }
  textBox.replaceChildren(fragment);
}

// A DOM point (node, offset in UTF-16 units) → a code point offset into the article.
// A point inside a surrogate pair moves outward so a span never cuts a character.
function codePointAt(node, offset, isEnd) {
  if (node === textBox) {
    const child = textBox.children[offset];
    return child ? Number(child.dataset.start) : chars.length;
  }
  const segment = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(".seg");
  if (!segment || !textBox.contains(segment)) return null;
  let prefix;
  if (node.nodeType === Node.TEXT_NODE) prefix = node.textContent.slice(0, offset);
  else prefix = offset === 0 ? "" : segment.textContent;
  let count = Array.from(prefix).length;
  const last = prefix.charCodeAt(prefix.length - 1);
  if (!isEnd && last >= 0xd800 && last <= 0xdbff) count -= 1;
  return Number(segment.dataset.start) + count;
}

function readSelection() {
  const current = window.getSelection();
  if (!current || current.rangeCount === 0 || current.isCollapsed) return null;
  const range = current.getRangeAt(0);
  if (!textBox.contains(range.startContainer) || !textBox.contains(range.endContainer)) return null;
  let start = codePointAt(range.startContainer, range.startOffset, false);
  let end = codePointAt(range.endContainer, range.endOffset, true);
  if (start === null || end === null) return null;
  // Leading and trailing white space is never part of a claim (chars indexes by code point).
  [start, end] = trimWhitespace(chars, start, end);
  return end > start ? { start, end } : null;
}

function showSelection() {
  selection = readSelection();
  const button = addForm.querySelector("button[type=submit]");
  button.disabled = selection === null;
  if (selection === null) {
    selectionLine.textContent = "Nothing selected.";
    return;
  }
  const quote = el("q", { lang: state.article.language, dir: state.article.direction }, slice(selection.start, selection.end));
  selectionLine.replaceChildren("Selected ", quote, ` (${selection.start}–${selection.end})`);
}

// --- Span cards -------------------------------------------------------------------------

function labelChip(slug) {
  const chip = el("span", { class: "chip label-chip" }, names.label.get(slug) || slug);
  // CSSOM, not a style attribute: allowed under the content security policy.
  if (colors.has(slug)) chip.style.setProperty("--label-color", colors.get(slug));
  return chip;
}

function fieldsLine(span) {
  const parts = [];
  if (span.claim_type) parts.push(names.claim_type.get(span.claim_type) || span.claim_type);
  if (span.checkworthy !== null) parts.push(span.checkworthy ? "check-worthy" : "not check-worthy");
  if (span.verdict) parts.push(names.verdict.get(span.verdict) || span.verdict);
  return el("p", { class: "fields" }, labelChip(span.label), ` ${span.start}–${span.end}`, parts.length ? ` · ${parts.join(" · ")}` : "");
}

function linksList(span) {
  if (!span.source_links.length) return null;
  const list = el("ul", { class: "links" });
  for (const link of span.source_links) {
    const item = el("li", {}, `${link.name} (${link.relation})`);
    if (link.url && /^https?:\/\//i.test(link.url)) {
      item.append(" ", el("a", { href: link.url, rel: "noopener noreferrer", target: "_blank" }, "report"));
    }
    list.append(item);
  }
  return list;
}

function quote(span) {
  return el("blockquote", { class: "quote", lang: state.article.language, dir: state.article.direction }, span.text);
}

function candidateCard(span) {
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
    quote(span),
    fieldsLine(span),
    linksList(span) || "",
    span.note ? el("p", { class: "note" }, span.note) : "",
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

function options(select, entries, chosen, blank) {
  select.replaceChildren();
  if (blank !== undefined) select.append(el("option", { value: "" }, blank));
  for (const entry of entries) select.append(el("option", { value: entry.slug, selected: entry.slug === chosen }, entry.name));
}

function goldCard(span) {
  const card = el("article", { class: "span-card gold", "data-annotation-id": span.id, "data-gold": "1" });
  const proposers = span.proposed_by.length ? `proposed by ${span.proposed_by.join(", ")}` : "added by the reviewer";
  card.append(
    quote(span),
    fieldsLine(span),
    linksList(span) || "",
    span.note ? el("p", { class: "note" }, span.note) : "",
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

function goldEditor(span) {
  const form = el("form", { class: "gold-edit", "data-id": span.id });
  const claimType = el("select", { name: "claim_type" });
  options(claimType, config.claim_types, span.claim_type, "not set");
  const checkworthy = el("select", { name: "checkworthy" });
  checkworthy.append(
    el("option", { value: "", selected: span.checkworthy === null }, "not set"),
    el("option", { value: "true", selected: span.checkworthy === true }, "yes"),
    el("option", { value: "false", selected: span.checkworthy === false }, "no"),
  );
  const verdict = el("select", { name: "verdict" });
  options(verdict, config.verdicts, span.verdict);
  const note = el("textarea", { name: "note", rows: 2, maxlength: 10000 });
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
      await call("PATCH", annotationUrl(span.id), body);
      await reload();
      say(`Saved gold span #${span.id}.`);
    } catch (error) {
      if (error.status === 409) await reload();
      say(`Could not save gold span #${span.id}: ${error.message}`, "error");
    }
  });
  return form;
}

// --- The grid -----------------------------------------------------------------------------

function renderGrid() {
  const head = el("tr", {}, el("th", { scope: "col" }, "Where"));
  for (const name of state.annotators) head.append(el("th", { scope: "col" }, name));
  head.append(el("th", { scope: "col", class: "gold-col" }, "Gold"));
  grid.tHead.replaceChildren(head);

  const body = document.createDocumentFragment();
  state.rows.forEach((row, index) => {
    if (onlyDisagreements.checked && (row.agree || row.gold_only)) return;
    const kind = row.gold_only ? "gold-only" : row.agree ? "agree" : "disagree";
    const tr = el("tr", { class: `${kind}${index === focused ? " focused" : ""}`, "data-row": index });
    const badge = {
      "gold-only": ["gold", "gold only"],
      agree: ["ok", "agree"],
      disagree: ["warn", "differs"],
    }[kind];
    const where = el(
      "th",
      { scope: "row" },
      el("button", { type: "button", class: "where", "data-action": "focus", "data-row": index }, `${row.start}–${row.end}`),
      el("br"),
      labelChip(row.label),
      el("span", { class: `row-badge ${badge[0]}` }, badge[1]),
    );
    tr.append(where);
    for (const name of state.annotators) {
      const span = row.cells[name];
      tr.append(el("td", {}, span ? candidateCard(span) : el("span", { class: "missing" }, "no span")));
    }
    const gold = el("td", { class: "gold-col" });
    if (row.gold.length) row.gold.forEach((span) => gold.append(goldCard(span)));
    else gold.append(el("span", { class: "missing" }, "—"));
    tr.append(gold);
    body.append(tr);
  });
  if (!body.childNodes.length) {
    const colspan = state.annotators.length + 2;
    const text = state.rows.length ? "No disagreements left." : "No spans on this article yet.";
    body.append(el("tr", {}, el("td", { colspan, class: "empty" }, text)));
  }
  grid.tBodies[0].replaceChildren(body);
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function renderSummary() {
  const s = state.summary;
  summary.textContent = [
    `${count(s.spans, "span")} by ${count(state.annotators.length, "annotator")}`,
    count(s.disagreements, "disagreement"),
    `${s.decided} decided`,
    count(s.gold, "gold span"),
  ].join(" · ");
}

function render() {
  chars = Array.from(state.article.text);
  if (focused !== null && focused >= state.rows.length) focused = null;
  renderText();
  renderGrid();
  renderSummary();
}

function findSpan(id) {
  for (const row of state.rows) {
    for (const span of Object.values(row.cells)) if (span.id === id) return span;
    for (const span of row.gold) if (span.id === id) return span;
  }
  return null;
}

grid.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "focus") {
    const index = Number(button.dataset.row);
    focused = focused === index ? null : index;
    render();
    const first = textBox.querySelector(".seg.focus");
    if (first) first.scrollIntoView({ block: "center" });
    return;
  }
  if (action === "cancel-edit") {
    button.closest("td").querySelector("form.gold-edit")?.remove();
    return;
  }
  const span = findSpan(Number(button.dataset.id));
  if (!span) return;
  if (action === "accept" || action === "reject") {
    button.disabled = true;
    await decide(action, span);
  } else if (action === "edit-gold") {
    const cell = button.closest("td");
    cell.querySelector("form.gold-edit")?.remove();
    button.closest(".span-card").after(goldEditor(span));
  } else if (action === "delete-gold") {
    if (!window.confirm(`Delete gold span #${span.id}?`)) return;
    try {
      await call("DELETE", annotationUrl(span.id), { version: span.version });
      await reload();
      say(`Deleted gold span #${span.id}.`);
    } catch (error) {
      say(`Could not delete gold span #${span.id}: ${error.message}`, "error");
    }
  }
});

onlyDisagreements.addEventListener("change", renderGrid);
document.addEventListener("selectionchange", showSelection);

addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!selection) return;
  const data = new FormData(addForm);
  const body = {
    start: selection.start,
    end: selection.end,
    text: slice(selection.start, selection.end),
    label: data.get("label"),
    claim_type: data.get("claim_type") || null,
    checkworthy: data.get("checkworthy") === "" ? null : data.get("checkworthy") === "true",
    verdict: data.get("verdict") || null,
    note: data.get("note") || "",
  };
  try {
    const result = await call("POST", config.urls.gold, body);
    state = result.state;
    window.getSelection().removeAllRanges();
    addForm.reset();
    render();
    say(`Added gold span #${result.gold}.`);
  } catch (error) {
    say(`Could not add the gold span: ${error.message}`, "error");
  }
});

options(addForm.elements.label, config.labels, config.labels[0]?.slug);
options(addForm.elements.claim_type, config.claim_types, null, "not set");
options(addForm.elements.verdict, config.verdicts, "unchecked");
render();
document.body.dataset.ready = "1";
