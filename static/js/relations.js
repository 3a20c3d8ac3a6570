// Span relations on the annotate page: the selected attribution's "attributes → [claim]"
// list in the side panel (link, unlink, go to the claim) and a line drawn from its
// highlight to each claim it attributes.
//
// Relations come from /api/relations/?article=…; a relation whose span is not on the page
// (deleted) is kept but not shown, as the server does. Text goes in with textContent only.

const SVG = "http://www.w3.org/2000/svg";
const EXCERPT = 80;

export class Relations {
  constructor(annotator) {
    this.annotator = annotator;
    this.relations = new Map(); // id -> {id, from, to, type}
    this.shownFor = null;
    this.section = null;
    this.svg = null;
    this.frame = 0;
  }

  async load() {
    this.build();
    try {
      const data = await this.annotator.api.get(`relations/?article=${this.annotator.article.id}&page_size=1000`);
      for (const relation of data.results) this.put(relation);
    } catch (error) {
      this.annotator.messages.at("span").error(`Relations could not be loaded: ${error.message}`, () => this.load());
      return;
    }
    this.show(this.annotator.selectedId);
    window.addEventListener("resize", () => this.schedule());
    new MutationObserver(() => this.schedule()).observe(this.annotator.container, { childList: true, subtree: true });
  }

  build() {
    const section = document.createElement("section");
    section.className = "relation-panel";
    section.hidden = true;
    const heading = document.createElement("h3");
    heading.textContent = "Attributes";
    this.list = document.createElement("ul");
    this.list.className = "relation-list";
    this.list.dataset.relationList = "";
    const row = document.createElement("div");
    row.className = "relation-add";
    this.picker = document.createElement("select");
    this.picker.setAttribute("aria-label", "A claim this attribution attributes");
    this.picker.dir = "auto";
    const link = document.createElement("button");
    link.type = "button";
    link.className = "button button--small";
    link.textContent = "Link";
    link.addEventListener("click", () => this.link(this.shownFor, this.picker.value));
    row.append(this.picker, link);
    section.append(heading, this.list, row);
    const form = document.querySelector("[data-span-form]");
    form.after(section);
    this.section = section;

    this.svg = document.createElementNS(SVG, "svg");
    this.svg.classList.add("relation-lines");
    this.svg.setAttribute("aria-hidden", "true");
    this.annotator.container.parentElement.append(this.svg);
  }

  put(relation) {
    this.relations.set(String(relation.id), {
      id: String(relation.id),
      from: String(relation.from),
      to: String(relation.to),
      type: relation.type,
    });
  }

  // Relations of a span that are on the page (both ends live).
  of(id) {
    const spans = this.annotator.annotations;
    return [...this.relations.values()].filter(
      (relation) => (relation.from === id || relation.to === id) && spans.has(relation.from) && spans.has(relation.to),
    );
  }

  added(relation) {
    this.put(relation);
    if (this.shownFor) this.show(this.shownFor);
  }

  show(id) {
    const annotation = id ? this.annotator.annotations.get(String(id)) : null;
    this.shownFor = annotation && annotation.label === "attribution" ? String(id) : null;
    if (!this.section) return;
    this.section.hidden = !this.shownFor;
    this.render();
  }

  excerpt(annotation) {
    const text = annotation.text;
    return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
  }

  render() {
    if (!this.shownFor) {
      this.svg.replaceChildren();
      return;
    }
    const spans = this.annotator.annotations;
    const outgoing = this.of(this.shownFor).filter((relation) => relation.from === this.shownFor);
    const items = outgoing.map((relation) => {
      const item = document.createElement("li");
      item.className = "relation-item";
      item.dataset.relationId = relation.id;
      const go = document.createElement("button");
      go.type = "button";
      go.className = "link-button";
      go.dir = "auto";
      go.textContent = `→ ${this.excerpt(spans.get(relation.to))}`;
      go.addEventListener("click", () => this.annotator.select(relation.to, { scroll: true }));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "icon-button";
      remove.setAttribute("aria-label", "Unlink this claim");
      remove.textContent = "×";
      remove.addEventListener("click", () => this.unlink(relation.id));
      item.append(go, remove);
      return item;
    });
    this.list.replaceChildren(...items);
    const linked = new Set(outgoing.map((relation) => relation.to));
    const options = [...spans.values()]
      .filter((span) => span.label === "claim" && !linked.has(String(span.id)))
      .sort((a, b) => a.start - b.start)
      .map((span) => {
        const option = document.createElement("option");
        option.value = String(span.id);
        option.textContent = this.excerpt(span);
        return option;
      });
    this.picker.replaceChildren(...options);
    this.picker.disabled = options.length === 0;
    this.draw(outgoing);
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.shownFor) this.render();
    });
  }

  // A line from the attribution's first highlight to each claim's first highlight.
  draw(outgoing) {
    const frame = this.svg.parentElement.getBoundingClientRect();
    const centre = (id) => {
      const element = this.annotator.highlighter.elementsFor(id)[0];
      if (!element) return null;
      const rect = element.getClientRects()[0] || element.getBoundingClientRect();
      return [rect.left + rect.width / 2 - frame.left, rect.top + rect.height - frame.top];
    };
    const lines = [];
    const from = centre(this.shownFor);
    for (const relation of outgoing) {
      const to = centre(relation.to);
      if (!from || !to) continue;
      const path = document.createElementNS(SVG, "path");
      const bend = Math.max(16, Math.abs(to[1] - from[1]) / 3);
      path.setAttribute("d", `M ${from[0]} ${from[1]} C ${from[0]} ${from[1] + bend}, ${to[0]} ${to[1] + bend}, ${to[0]} ${to[1]}`);
      path.dataset.relationId = relation.id;
      lines.push(path);
    }
    this.svg.replaceChildren(...lines);
  }

  link(fromId, toId) {
    if (!fromId || !toId) return null;
    return this.annotator.writes.push(async () => {
      try {
        const relation = await this.annotator.api.post("relations/", { from: Number(fromId), to: Number(toId) });
        this.added(relation);
        this.annotator.messages.at("span").show("Linked.", "ok");
      } catch (error) {
        this.annotator.messages.at("span").error(`Not linked: ${error.message}`);
      }
    });
  }

  unlink(id) {
    return this.annotator.writes.push(async () => {
      try {
        await this.annotator.api.delete(`relations/${id}/`);
        this.relations.delete(id);
        this.render();
        this.annotator.messages.at("span").show("Unlinked.", "ok");
      } catch (error) {
        this.annotator.messages.at("span").error(`Not unlinked: ${error.message}`);
      }
    });
  }
}
