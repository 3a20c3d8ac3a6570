// "Deleted spans" on the annotate page: my deleted spans in this article, the latest
// deletion first, each with a Restore button.
//
// The page embeds the most recent ones (#annotator-data: "deleted", "moreDeleted"); older
// ones come from /api/annotations/?deleted=1 when asked for. The list does no writes: a
// Restore click goes to the page (onRestore), which calls remove() or restoreFailed().
// Span text goes in through textContent only.

import { labelChip } from "./chips.js";

const EXCERPT = 120;

function newestFirst(a, b) {
  return Date.parse(b.deleted_at) - Date.parse(a.deleted_at) || Number(b.id) - Number(a.id);
}

export class DeletedList {
  // pageSize: the API's largest page (a server rule); messages: the list's message line.
  constructor(root, { api, article, user, labels, pageSize, messages, isLive, onRestore }) {
    this.root = root;
    this.api = api;
    this.article = article;
    this.user = user;
    this.labels = labels;
    this.pageSize = pageSize;
    this.messages = messages;
    this.isLive = isLive;
    this.onRestore = onRestore;
    this.list = root.querySelector("[data-deleted-list]");
    this.count = root.querySelector("[data-deleted-count]");
    this.empty = root.querySelector("[data-deleted-empty]");
    this.moreButton = root.querySelector("[data-action=deleted-more]");
    this.summary = root.querySelector("summary");
    this.spans = []; // newest first
    this.items = new Map(); // id -> <li>
    this.more = false;
    this.time = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    this.list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action=restore]");
      // aria-disabled, not disabled: a disabled button drops the keyboard focus.
      if (!button || button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      this.onRestore(button.closest("[data-deleted-id]").dataset.deletedId);
    });
    this.moreButton.addEventListener("click", () => this.loadOlder());
  }

  load(spans, more) {
    for (const span of spans) this.add(span);
    this.setMore(more);
  }

  // A span deleted now (or found by loadOlder) goes to its place in the order.
  add(span) {
    const id = String(span.id);
    if (this.items.has(id)) this.remove(id);
    const entry = { id, text: span.text, label: span.label, deleted_at: span.deleted_at };
    let index = this.spans.findIndex((other) => newestFirst(entry, other) < 0);
    if (index === -1) index = this.spans.length;
    const following = this.spans[index];
    this.spans.splice(index, 0, entry);
    const item = this.item(entry);
    this.items.set(id, item);
    this.list.insertBefore(item, following ? this.items.get(following.id) : null);
    this.updateCount();
  }

  remove(id) {
    const item = this.items.get(id);
    if (!item) return;
    // Keyboard users stay in the list: focus moves to the neighbouring Restore button.
    const hadFocus = item.contains(document.activeElement);
    const neighbour = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    this.items.delete(id);
    this.spans.splice(
      this.spans.findIndex((span) => span.id === id),
      1,
    );
    this.updateCount();
    if (hadFocus) (neighbour?.querySelector("button") || this.summary).focus();
  }

  restoreFailed(id) {
    this.items.get(id)?.querySelector("[data-action=restore]")?.removeAttribute("aria-disabled");
  }

  setMore(more) {
    this.more = more;
    this.moreButton.hidden = !more;
    this.updateCount();
  }

  updateCount() {
    this.count.textContent = `${this.spans.length}${this.more ? "+" : ""}`;
    this.empty.hidden = this.spans.length > 0;
  }

  async loadOlder() {
    this.moreButton.disabled = true;
    const query = new URLSearchParams({
      deleted: "1",
      article: String(this.article.id),
      annotator: this.user,
      page_size: String(this.pageSize),
    });
    try {
      const data = await this.api.get(`annotations/?${query}`);
      // Merged, not replaced: a span deleted while the request was out stays listed.
      // Gold spans a reviewer deleted belong to the gold layer, not to this page.
      for (const span of data.results) if (!span.is_gold && !this.isLive(String(span.id))) this.add(span);
      this.setMore(Boolean(data.next));
    } catch (error) {
      this.messages.error(`Older deleted spans could not be loaded: ${error.message}`, () => this.loadOlder());
    } finally {
      this.moreButton.disabled = false;
    }
  }

  item(span) {
    const item = document.createElement("li");
    item.className = "deleted-item";
    item.dataset.deletedId = span.id;
    const chip = labelChip(span.label, this.labels);
    const when = document.createElement("time");
    when.className = "span-meta";
    when.dateTime = span.deleted_at;
    const date = new Date(span.deleted_at);
    when.textContent = Number.isNaN(date.getTime()) ? "" : `deleted ${this.time.format(date)}`;
    const excerpt = document.createElement("span");
    excerpt.className = "span-text";
    excerpt.id = `deleted-text-${span.id}`;
    excerpt.lang = this.article.language;
    excerpt.dir = this.article.direction;
    excerpt.textContent = span.text.length > EXCERPT ? `${span.text.slice(0, EXCERPT)}…` : span.text;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.dataset.action = "restore";
    button.textContent = "Restore";
    button.setAttribute("aria-describedby", excerpt.id);
    item.append(chip, when, excerpt, button);
    return item;
  }
}
