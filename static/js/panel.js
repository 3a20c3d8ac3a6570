// The side panel that describes one span: claim fields and source links.
//
// Every keystroke is kept in localStorage (key "factcheck:draft:<annotation id>") until the
// server has it, so a network error, a closed tab or a conflict never loses what was typed.
// The panel does no span writes itself: it hands the fields to the page (onSave), which
// reports back with saved(), showErrors() or showConflict(). Sources are picked (or added
// to the registry) by the SourcePicker.
//
// Fields that do not apply to a span's label (an attribution has no verdict) are hidden
// and not sent; which labels those are, and every default and limit, come from the server
// (rules).

import { flattenMessages } from "./api.js";
import { labelChip } from "./chips.js";
import { SourcePicker, isAllowedUrl, urlRuleMessage } from "./source_picker.js";

const DRAFT_PREFIX = "factcheck:draft:";
const TOP_LEVEL_FIELDS = ["label", "claim_type", "checkworthy", "verdict", "note", "source_links"];
const CLAIM_FIELDS = ["claim_type", "checkworthy", "verdict"];

export class Drafts {
  key(id) {
    return DRAFT_PREFIX + id;
  }

  get(id) {
    try {
      return JSON.parse(localStorage.getItem(this.key(id)));
    } catch {
      return null;
    }
  }

  has(id) {
    try {
      return localStorage.getItem(this.key(id)) !== null;
    } catch {
      return false;
    }
  }

  set(id, version, fields) {
    try {
      localStorage.setItem(this.key(id), JSON.stringify({ version, fields, saved_at: Date.now() }));
    } catch {
      // Storage full or disabled: the edit still lives in the panel.
    }
  }

  clear(id) {
    try {
      localStorage.removeItem(this.key(id));
    } catch {
      // nothing stored
    }
  }

  // Our own write moved the span to a new version: the draft is based on it now.
  rebase(id, version, changes = {}) {
    const draft = this.get(id);
    if (draft) this.set(id, version, { ...draft.fields, ...changes });
  }
}

// The editable fields of an annotation, in the panel's shape.
export function fieldsOf(annotation, defaultRelation) {
  return {
    label: annotation.label,
    claim_type: annotation.claim_type ?? "",
    checkworthy: annotation.checkworthy ?? null,
    verdict: annotation.verdict ?? "",
    note: annotation.note ?? "",
    source_links: (annotation.source_links || []).map((link) => ({
      source: link.source,
      name: link.name || link.source,
      url: link.url ?? "",
      relation: link.relation || defaultRelation,
    })),
  };
}

// The panel's fields as the API wants them; `skip` lists fields that do not apply.
export function payloadOf(fields, skip = []) {
  const payload = {
    label: fields.label,
    claim_type: fields.claim_type || null,
    checkworthy: fields.checkworthy ?? null,
    verdict: fields.verdict || null,
    note: fields.note,
    source_links: fields.source_links.map((link) => ({
      source: link.source,
      url: link.url.trim() || null,
      relation: link.relation,
    })),
  };
  for (const field of skip) delete payload[field];
  return payload;
}

export function sameFields(a, b) {
  return JSON.stringify(payloadOf(a)) === JSON.stringify(payloadOf(b));
}

const FIELD_NAMES = {
  label: "label",
  claim_type: "claim type",
  checkworthy: "check-worthy",
  verdict: "verdict",
  note: "note",
  source_links: "sources",
};

export class SpanPanel {
  constructor(root, { api, drafts, labels, rules, onSave, onInvalid, onDelete, onClose, onSelect, onTakeTheirs, onDraftChange }) {
    this.root = root;
    this.drafts = drafts;
    this.labels = labels;
    this.rules = rules;
    this.callbacks = { onSave, onInvalid, onDelete, onClose, onSelect, onTakeTheirs, onDraftChange };
    this.form = root.querySelector("[data-span-form]");
    this.empty = root.querySelector("[data-panel-empty]");
    this.quote = this.form.querySelector("[data-span-quote]");
    this.chip = this.form.querySelector("[data-field=label-chip]");
    this.linkList = this.form.querySelector("[data-link-list]");
    this.linkTemplate = document.getElementById("link-row-template");
    this.dirtyFlag = this.form.querySelector("[data-dirty]");
    this.draftNotice = this.form.querySelector("[data-draft-notice]");
    this.conflictBox = this.form.querySelector("[data-conflict]");
    this.overlapBox = this.form.querySelector("[data-overlaps]");
    this.claimFieldBoxes = this.form.querySelectorAll("[data-claim-field]");
    this.form.elements.note.maxLength = rules.noteMaxLength;
    this.sources = new SourcePicker(this.form.querySelector("[data-source-picker]"), {
      api,
      rules,
      onPick: (source) => this.addLink(source),
      onError: (message) => this.showError("source_links", message),
    });
    this.id = null;
    this.annotation = null;
    this.baseVersion = null;
    this.links = [];
    this.dirty = false;
    this.conflict = null;
    this.bind();
  }

  get isOpen() {
    return this.id !== null;
  }

  bind() {
    this.form.addEventListener("input", (event) => this.onInput(event));
    this.form.addEventListener("change", (event) => this.onInput(event));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.form.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        this.save();
      }
    });
    this.form.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "close") this.callbacks.onClose();
      else if (action === "delete") this.callbacks.onDelete(this.id);
      else if (action === "discard-draft") this.discardDraft();
      else if (action === "take-theirs") this.callbacks.onTakeTheirs(this.id, this.conflict);
      else if (action === "overwrite") this.save(this.conflict.version);
    });
    this.sources.bind();
  }

  // ---- opening and filling ----

  open(annotation, overlaps = []) {
    const id = String(annotation.id);
    if (this.id !== id) {
      this.sources.reset();
      this.root.scrollTop = 0; // the panel scrolls on its own; show the form's head
    }
    this.id = id;
    this.annotation = annotation;
    this.conflict = null;
    this.conflictBox.hidden = true;
    this.clearErrors();
    const draft = this.drafts.get(id);
    const stored = this.fieldsOf(annotation);
    if (draft && draft.fields && !sameFields(draft.fields, stored)) {
      this.fill(draft.fields);
      this.baseVersion = draft.version;
      this.setDirty(true);
      this.draftNotice.hidden = false;
    } else {
      if (draft) this.drafts.clear(id);
      this.fill(stored);
      this.baseVersion = annotation.version;
      this.setDirty(false);
      this.draftNotice.hidden = true;
    }
    this.showSpan(annotation);
    this.overlaps = overlaps;
    this.showOverlaps(overlaps);
    this.empty.hidden = true;
    this.form.hidden = false;
    // Other panels (claims.js) follow the open span through this attribute.
    this.form.dataset.annotationId = id;
  }

  close() {
    this.id = null;
    this.annotation = null;
    this.sources.reset();
    this.form.hidden = true;
    delete this.form.dataset.annotationId;
    this.empty.hidden = false;
  }

  showSpan(annotation) {
    this.quote.textContent = annotation.text;
    labelChip(annotation.label, this.labels, this.chip);
    this.showFieldsFor(annotation.label);
  }

  fieldsOf(annotation) {
    return fieldsOf(annotation, this.rules.defaultRelation);
  }

  // The fields that do not apply to spans with this label (an attribution's verdict).
  skippedFor(label) {
    return this.rules.labelsWithoutClaimFields.includes(label) ? CLAIM_FIELDS : [];
  }

  showFieldsFor(label) {
    const skipped = this.skippedFor(label);
    for (const box of this.claimFieldBoxes) box.hidden = skipped.includes(box.dataset.claimField);
  }

  showOverlaps(overlaps) {
    const box = this.overlapBox.querySelector(".overlap-buttons");
    box.replaceChildren();
    this.overlapBox.hidden = overlaps.length === 0;
    for (const other of overlaps) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "overlap-button";
      button.dataset.spanLabel = other.label;
      button.dir = "auto";
      const label = this.labels.get(other.label);
      const excerpt = other.text.length > 40 ? `${other.text.slice(0, 40)}…` : other.text;
      button.textContent = `${label ? label.name : other.label}: ${excerpt}`;
      button.title = other.text;
      button.addEventListener("click", () => this.callbacks.onSelect(String(other.id)));
      box.append(button);
    }
  }

  fill(fields) {
    const form = this.form;
    form.elements.label.value = fields.label;
    form.elements.claim_type.value = fields.claim_type || "";
    const checkworthy = fields.checkworthy === true ? "true" : fields.checkworthy === false ? "false" : "";
    for (const radio of form.querySelectorAll("input[name=checkworthy]")) radio.checked = radio.value === checkworthy;
    form.elements.verdict.value = fields.verdict || this.rules.defaultVerdict;
    form.elements.note.value = fields.note || "";
    this.links = fields.source_links.map((link) => ({ ...link }));
    this.renderLinks();
  }

  fields() {
    const form = this.form;
    const checked = form.querySelector("input[name=checkworthy]:checked");
    return {
      label: form.elements.label.value,
      claim_type: form.elements.claim_type.value,
      checkworthy: checked && checked.value ? checked.value === "true" : null,
      verdict: form.elements.verdict.value,
      note: form.elements.note.value,
      source_links: this.links.map((link) => ({ ...link })),
    };
  }

  onInput(event) {
    if (!this.isOpen || event.target.closest("[data-source-picker]")) return;
    const name = event.target.name;
    if (name && TOP_LEVEL_FIELDS.includes(name)) this.clearError(name);
    if (name === "label") this.showFieldsFor(event.target.value);
    this.changed();
  }

  changed() {
    this.setDirty(true);
    this.drafts.set(this.id, this.baseVersion, this.fields());
    this.callbacks.onDraftChange(this.id);
  }

  setDirty(dirty) {
    this.dirty = dirty;
    this.dirtyFlag.hidden = !dirty;
  }

  discardDraft() {
    this.drafts.clear(this.id);
    this.callbacks.onDraftChange(this.id);
    this.open(this.annotation, this.overlaps);
  }

  // ---- source links ----

  renderLinks() {
    this.linkList.replaceChildren(...this.links.map((link, index) => this.linkRow(link, index)));
  }

  linkRow(link, index) {
    const row = this.linkTemplate.content.firstElementChild.cloneNode(true);
    row.dataset.index = String(index);
    row.dataset.source = link.source;
    row.querySelector(".link-source").textContent = link.name;
    const relation = row.querySelector("select[name=relation]");
    relation.value = link.relation;
    relation.id = `link-${index}-relation`;
    const url = row.querySelector("input[name=url]");
    url.value = link.url;
    url.id = `link-${index}-url`;
    url.setAttribute("aria-label", `Report URL for ${link.name}`);
    relation.setAttribute("aria-label", `Relation to ${link.name}`);
    relation.addEventListener("change", () => {
      link.relation = relation.value;
    });
    url.addEventListener("input", () => {
      link.url = url.value;
      this.setLinkError(row, "url", "");
    });
    url.addEventListener("blur", (event) => {
      // Leaving for one of the form's buttons: that button's action checks the fields, and an
      // error shown now would move the button away from under the pointer.
      if (event.relatedTarget?.closest?.("button")) return;
      this.validateLinkUrl(row, link);
    });
    const remove = row.querySelector(".link-remove");
    remove.setAttribute("aria-label", `Remove ${link.name}`);
    remove.addEventListener("click", () => {
      this.links.splice(this.links.indexOf(link), 1);
      this.renderLinks();
      this.changed();
      this.sources.search.focus();
    });
    return row;
  }

  validateLinkUrl(row, link) {
    const value = link.url.trim();
    if (value && !isAllowedUrl(value, this.rules)) {
      this.setLinkError(row, "url", urlRuleMessage(this.rules));
      return false;
    }
    this.setLinkError(row, "url", "");
    return true;
  }

  setLinkError(row, field, message) {
    const target = row.querySelector(`[data-link-error="${field}"]`);
    target.textContent = message;
    if (field === "url") {
      const input = row.querySelector("input[name=url]");
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", (target.id = `${input.id}-error`));
      } else {
        input.removeAttribute("aria-invalid");
      }
    }
  }

  addLink(source) {
    this.links.push({ source: source.slug, name: source.name, url: "", relation: this.rules.defaultRelation });
    this.renderLinks();
    this.clearError("source_links");
    this.changed();
  }

  // ---- saving ----

  validate() {
    let ok = true;
    this.linkList.querySelectorAll(".link-row").forEach((row, index) => {
      if (!this.validateLinkUrl(row, this.links[index])) ok = false;
    });
    return ok;
  }

  save(version = this.baseVersion) {
    if (!this.isOpen) return;
    if (!this.validate()) {
      this.showError("__all__", "Fix the fields marked in red, then save again.");
      this.callbacks.onInvalid("Not saved: fix the fields marked in red, then save again.");
      return;
    }
    this.clearErrors();
    this.callbacks.onSave(this.id, this.fields(), version);
  }

  // The server accepted `sent`; the panel may have moved on while the request was out.
  saved(annotation, sent) {
    if (String(annotation.id) !== this.id) return;
    this.annotation = annotation;
    this.baseVersion = annotation.version;
    this.conflict = null;
    this.conflictBox.hidden = true;
    this.draftNotice.hidden = true;
    const now = this.fields();
    if (sameFields(now, sent)) {
      this.drafts.clear(this.id);
      this.fill(this.fieldsOf(annotation));
      this.setDirty(false);
    } else {
      this.drafts.set(this.id, this.baseVersion, now);
    }
    this.showSpan(annotation);
  }

  // Our own write (label key, undo) changed the span under the panel.
  refresh(annotation, changedFields) {
    if (String(annotation.id) !== this.id) return;
    this.annotation = annotation;
    this.baseVersion = annotation.version;
    this.showSpan(annotation);
    if (!this.dirty) {
      this.fill(this.fieldsOf(annotation));
      return;
    }
    const fresh = this.fieldsOf(annotation);
    const mine = this.fields();
    for (const field of changedFields) mine[field] = fresh[field];
    this.fill(mine);
    this.drafts.set(this.id, this.baseVersion, mine);
  }

  showConflict(current, detail) {
    this.conflict = current;
    this.conflictBox.hidden = false;
    this.conflictBox.querySelector("[data-conflict-detail]").textContent = detail || "";
    const theirs = payloadOf(this.fieldsOf(current));
    const mine = payloadOf(this.fields());
    const differing = Object.keys(mine).filter((key) => JSON.stringify(mine[key]) !== JSON.stringify(theirs[key]));
    this.conflictBox.querySelector("[data-conflict-fields]").textContent = differing.length
      ? `Their version differs in: ${differing.map((key) => FIELD_NAMES[key] || key).join(", ")}.`
      : "Their version has the same values as yours.";
    this.conflictBox.querySelector("[data-action=take-theirs]").focus();
  }

  showErrors(data) {
    this.clearErrors();
    if (!data || typeof data !== "object") {
      this.showError("__all__", "The server refused the change.");
      return;
    }
    const general = [];
    for (const [field, value] of Object.entries(data)) {
      if (field === "source_links") this.showLinkErrors(value);
      else if (TOP_LEVEL_FIELDS.includes(field)) this.showError(field, flattenMessages(value).join(" "));
      else general.push(...flattenMessages(value));
    }
    if (general.length) this.showError("__all__", general.join(" "));
    this.form.querySelector("[aria-invalid=true]")?.focus();
  }

  showLinkErrors(value) {
    const rows = this.linkList.querySelectorAll(".link-row");
    const general = [];
    const forRow = (index, field, messages) => {
      const row = rows[index];
      if (!row) return general.push(...messages);
      this.setLinkError(row, field === "url" ? "url" : "link", messages.join(" "));
    };
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === "string") {
          // services.resolve_links style: "source_links[1].url: Only http:// ..."
          const match = /^source_links\[(\d+)\]\.(\w+): (.*)$/s.exec(item);
          if (match) forRow(Number(match[1]), match[2], [match[3]]);
          else general.push(item);
        } else if (item && typeof item === "object") {
          // DRF nested serializer style: one object per link, {} where it is fine
          for (const [field, messages] of Object.entries(item)) forRow(index, field, flattenMessages(messages));
        }
      });
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (/^\d+$/.test(key) && item && typeof item === "object") {
          for (const [field, messages] of Object.entries(item)) forRow(Number(key), field, flattenMessages(messages));
        } else {
          general.push(...flattenMessages(item));
        }
      }
    } else {
      general.push(...flattenMessages(value));
    }
    if (general.length) this.showError("source_links", general.join(" "));
  }

  showError(field, message) {
    const target = this.form.querySelector(`[data-error-for="${field}"]`);
    if (!target) return;
    target.textContent = message;
    const input = field === "__all__" || field === "source_links" ? null : this.form.elements[field];
    if (input && input.setAttribute) {
      target.id = `error-${field}`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", target.id);
    }
  }

  clearError(field) {
    const target = this.form.querySelector(`[data-error-for="${field}"]`);
    if (target) target.textContent = "";
    const input = this.form.elements[field];
    if (input && input.removeAttribute) input.removeAttribute("aria-invalid");
  }

  clearErrors() {
    for (const target of this.form.querySelectorAll("[data-error-for], [data-link-error]")) target.textContent = "";
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }
}
