// "Add a source" in the span panel: a combobox over the shared source registry, and a
// small form to add a missing source to it.
//
// The registry is shared by everyone, so adding to it is never one keystroke away: while
// sources match, the first match is the default choice; "Add … to the source registry"
// only opens a form (name, kind, homepage) that must be confirmed.

import { flattenMessages } from "./api.js";

const SEARCH_DELAY_MS = 150;

export class SourcePicker {
  constructor(root, { api, rules, onPick, onError }) {
    this.api = api;
    this.rules = rules;
    this.onPick = onPick; // (source) -> link it to the span
    this.onError = onError; // (message) -> show it beside the sources
    this.search = root.querySelector("[data-source-search]");
    this.results = root.querySelector("[data-source-results]");
    this.form = root.querySelector("[data-source-new]");
    this.fields = {
      name: this.form.querySelector("[name=source_name]"),
      kind: this.form.querySelector("[name=source_kind]"),
      homepage: this.form.querySelector("[name=source_homepage]"),
    };
    this.seq = 0;
    this.timer = null;
    this.options = [];
    this.active = -1;
    for (const kind of rules.sourceKinds) {
      const option = document.createElement("option");
      option.value = kind.value;
      option.textContent = kind.name;
      this.fields.kind.append(option);
    }
    this.fields.homepage.maxLength = rules.urlMaxLength;
  }

  bind() {
    this.search.addEventListener("input", () => this.schedule());
    this.search.addEventListener("keydown", (event) => this.onSearchKey(event));
    this.search.addEventListener("blur", () => this.closeResults());
    // mousedown, not click: choosing must happen before the input's blur closes the list.
    this.results.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      this.choose(Number(option.dataset.index));
    });
    this.form.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "source-add") this.confirmNew();
      else if (action === "source-cancel") this.closeNew({ focus: true });
    });
    this.form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.tagName !== "SELECT") {
        event.preventDefault(); // never submit the span form from here
        event.stopPropagation();
        this.confirmNew();
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.closeNew({ focus: true });
      }
    });
  }

  reset() {
    this.closeResults();
    this.closeNew();
    this.search.value = "";
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), SEARCH_DELAY_MS);
  }

  async run() {
    const term = this.search.value.trim();
    const seq = ++this.seq;
    if (!term) return this.closeResults();
    let data;
    try {
      data = await this.api.get(`sources/?q=${encodeURIComponent(term)}`);
    } catch (error) {
      if (seq === this.seq) this.onError(`Could not search the sources: ${error.message}`);
      return undefined;
    }
    if (seq !== this.seq || this.search.value.trim() !== term) return undefined; // a newer search is under way
    const sources = Array.isArray(data) ? data : data?.results || [];
    this.showResults(term, sources);
    return undefined;
  }

  showResults(term, sources) {
    this.options = sources.map((source) => ({ kind: "source", source }));
    const lower = term.toLowerCase();
    const exact = sources.some((s) => [s.name, ...(s.aliases || [])].some((n) => n.toLowerCase() === lower));
    if (!exact) this.options.push({ kind: "create", name: term });
    this.results.replaceChildren();
    this.options.forEach((option, index) => {
      const item = document.createElement("li");
      item.id = `source-option-${index}`;
      item.setAttribute("role", "option");
      item.dataset.index = String(index);
      if (option.kind === "source") {
        item.dataset.source = option.source.slug;
        const name = document.createElement("span");
        name.className = "option-name";
        name.dir = "auto";
        name.textContent = option.source.name;
        item.append(name);
        if (!option.source.confirmed) {
          // Added by an annotator and not yet checked by staff: may imitate a known outlet.
          const badge = document.createElement("span");
          badge.className = "option-unconfirmed";
          badge.textContent = "unconfirmed";
          item.append(badge);
        }
        const aliases = (option.source.aliases || []).join(" · ");
        const extra = [option.source.kind, aliases].filter(Boolean).join(" — ");
        if (extra) {
          const small = document.createElement("span");
          small.className = "option-extra";
          small.dir = "auto";
          small.textContent = extra;
          item.append(small);
        }
      } else {
        item.className = "option-create";
        const name = document.createElement("bdi");
        name.textContent = option.name;
        item.append("Add “", name, "” to the source registry…");
      }
      this.results.append(item);
    });
    this.results.hidden = this.options.length === 0;
    this.search.setAttribute("aria-expanded", String(!this.results.hidden));
    // The default is an existing source, never "add".
    this.setActive(this.options[0]?.kind === "source" ? 0 : -1);
  }

  setActive(index) {
    this.active = index;
    for (const item of this.results.children) item.classList.toggle("is-active", Number(item.dataset.index) === index);
    if (index >= 0) {
      this.search.setAttribute("aria-activedescendant", `source-option-${index}`);
      this.results.children[index]?.scrollIntoView({ block: "nearest" });
    } else {
      this.search.removeAttribute("aria-activedescendant");
    }
  }

  closeResults() {
    clearTimeout(this.timer);
    this.seq++;
    this.results.hidden = true;
    this.results.replaceChildren();
    this.options = [];
    this.active = -1;
    this.search.setAttribute("aria-expanded", "false");
    this.search.removeAttribute("aria-activedescendant");
  }

  onSearchKey(event) {
    const open = !this.results.hidden && this.options.length > 0;
    const n = this.options.length;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      this.setActive((this.active + 1) % n);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.setActive(this.active <= 0 ? n - 1 : this.active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submit the form from the search box
      if (open && this.active >= 0) this.choose(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      event.stopPropagation();
      this.closeResults();
    }
  }

  choose(index) {
    const option = this.options[index];
    if (!option) return;
    this.closeResults();
    this.search.value = "";
    if (option.kind === "source") this.onPick(option.source);
    else this.openNew(option.name);
  }

  // ---- a new registry entry ----

  openNew(name) {
    this.clearNewErrors();
    this.fields.name.value = name;
    this.fields.kind.value = this.rules.defaultSourceKind;
    this.fields.homepage.value = "";
    this.form.hidden = false;
    this.search.hidden = true;
    this.fields.name.focus();
    this.fields.name.select();
  }

  closeNew({ focus = false } = {}) {
    this.form.hidden = true;
    this.search.hidden = false;
    if (focus) this.search.focus();
  }

  async confirmNew() {
    this.clearNewErrors();
    const body = {
      name: this.fields.name.value.trim(),
      kind: this.fields.kind.value,
      homepage: this.fields.homepage.value.trim(),
    };
    if (!body.name) return this.showNewError("name", "Give the source a name.");
    if (body.homepage && !isAllowedUrl(body.homepage, this.rules)) {
      return this.showNewError("homepage", urlRuleMessage(this.rules));
    }
    let created;
    try {
      created = await this.api.post("sources/", body);
    } catch (error) {
      if (error.status === 400 && error.data && typeof error.data === "object") {
        for (const [field, messages] of Object.entries(error.data)) {
          this.showNewError(field in this.fields ? field : "__all__", flattenMessages(messages).join(" "));
        }
      } else {
        this.showNewError("__all__", `The source was not added: ${error.message}`);
      }
      return undefined;
    }
    this.closeNew({ focus: true });
    this.onPick(created);
    return undefined;
  }

  showNewError(field, message) {
    const target = this.form.querySelector(`[data-source-error="${field}"]`) || this.form.querySelector('[data-source-error="__all__"]');
    target.textContent = message;
    const input = this.fields[field];
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }

  clearNewErrors() {
    for (const target of this.form.querySelectorAll("[data-source-error]")) target.textContent = "";
    for (const input of Object.values(this.fields)) input.removeAttribute("aria-invalid");
  }
}

// The server's URL rule (schemes, length), as the page was given it.
export function isAllowedUrl(value, rules) {
  if (/\s/.test(value) || value.length > rules.urlMaxLength) return false;
  try {
    const url = new URL(value);
    return rules.urlSchemes.includes(url.protocol.replace(/:$/, "")) && Boolean(url.hostname);
  } catch {
    return false;
  }
}

export function urlRuleMessage(rules) {
  const schemes = rules.urlSchemes.map((scheme) => `${scheme}://`).join(" and ");
  return `Only ${schemes} links of at most ${rules.urlMaxLength} characters are accepted.`;
}
