// "My spans in this article": the user's spans in reading order, one button each.
//
// Only a prefix of the list is in the page: the first FIRST_ITEMS, then MORE_ITEMS more each
// time the end of the list scrolls into view, so an article with 5,000 spans is ready as
// fast as one with 100. Afterwards one item is added, replaced or removed per change (a
// span beyond the drawn prefix waits until the list gets there).

import { labelChip } from "./chips.js";
import { partitionPoint } from "./search.js";

const EXCERPT = 160;
const FIRST_ITEMS = 100;
const MORE_ITEMS = 200;

export function readingOrder(a, b) {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

export class SpanList {
  constructor(root, count, { article, labels, claimTypes, verdicts, defaultVerdict, drafts, onOpen }) {
    this.root = root;
    this.count = count;
    this.article = article;
    this.labels = labels;
    this.claimTypes = claimTypes;
    this.verdicts = verdicts;
    this.defaultVerdict = defaultVerdict;
    this.drafts = drafts;
    this.order = [];
    this.items = new Map(); // id -> <li>
    this.listed = new Map(); // id -> the annotation as listed
    this.current = null; // the button marked aria-current
    this.drawn = 0; // order[0..drawn) are in the page
    this.end = document.createElement("li");
    this.end.className = "span-list-end";
    this.end.setAttribute("aria-hidden", "true");
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-span-id]");
      if (button) onOpen(button.dataset.spanId);
    });
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.drawMore(MORE_ITEMS);
    }).observe(this.end);
  }

  load(annotations) {
    this.order = [...annotations].sort(readingOrder);
    this.items.clear();
    this.listed = new Map(this.order.map((annotation) => [String(annotation.id), annotation]));
    this.drawn = 0;
    this.root.replaceChildren(this.end);
    this.drawMore(FIRST_ITEMS);
    this.updateCount();
  }

  drawMore(count) {
    const upTo = Math.min(this.order.length, this.drawn + count);
    if (upTo === this.drawn) return;
    const fragment = document.createDocumentFragment();
    for (let i = this.drawn; i < upTo; i++) fragment.append(this.item(this.order[i]));
    this.root.insertBefore(fragment, this.end);
    this.drawn = upTo;
  }

  put(annotation) {
    const id = String(annotation.id);
    if (this.listed.has(id)) this.remove(id);
    const index = partitionPoint(this.order, (other) => readingOrder(other, annotation) < 0);
    const everything = this.drawn === this.order.length;
    this.order.splice(index, 0, annotation);
    this.listed.set(id, annotation);
    if (index < this.drawn || everything) {
      const following = this.order[index + 1];
      this.root.insertBefore(this.item(annotation), following ? this.items.get(String(following.id)) : this.end);
      this.drawn++;
    }
    this.updateCount();
  }

  remove(id) {
    // The order holds the annotation as it was listed, so the search finds it there.
    const listed = this.listed.get(id);
    if (!listed) return;
    this.listed.delete(id);
    this.order.splice(
      partitionPoint(this.order, (other) => readingOrder(other, listed) < 0),
      1,
    );
    const item = this.items.get(id);
    if (item) {
      if (this.current && item.contains(this.current)) this.current = null;
      item.remove();
      this.items.delete(id);
      this.drawn--;
    }
    this.updateCount();
  }

  button(id) {
    return this.items.get(String(id))?.firstElementChild || null;
  }

  setCurrent(id) {
    this.current?.removeAttribute("aria-current");
    this.current = id == null ? null : this.button(id);
    this.current?.setAttribute("aria-current", "true");
  }

  markDraft(id) {
    this.button(id)?.classList.toggle("has-draft", this.drafts.has(id));
  }

  updateCount() {
    this.count.textContent = String(this.order.length);
  }

  item(annotation) {
    const id = String(annotation.id);
    const item = document.createElement("li");
    this.items.set(id, item);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "span-item";
    button.dataset.spanId = id;
    if (this.drafts.has(id)) button.classList.add("has-draft");
    const excerpt = document.createElement("span");
    excerpt.className = "span-text";
    // Span text is article text: it reads in the article's language and direction, and a
    // cut is marked at its logical end.
    excerpt.lang = this.article.language;
    excerpt.dir = this.article.direction;
    excerpt.textContent = annotation.text.length > EXCERPT ? `${annotation.text.slice(0, EXCERPT)}…` : annotation.text;
    const meta = [];
    if (annotation.claim_type) meta.push(this.claimTypes.get(annotation.claim_type) || annotation.claim_type);
    if (annotation.verdict && annotation.verdict !== this.defaultVerdict) {
      meta.push(this.verdicts.get(annotation.verdict) || annotation.verdict);
    }
    const links = annotation.source_links || [];
    if (links.length) meta.push(links.map((link) => link.name || link.source).join(", "));
    const details = document.createElement("span");
    details.className = "span-meta";
    details.dir = "auto";
    details.textContent = meta.join(" · ");
    const draft = document.createElement("span");
    draft.className = "draft-mark";
    draft.textContent = "unsaved";
    button.append(labelChip(annotation.label, this.labels), excerpt, details, draft);
    item.append(button);
    return item;
  }
}
