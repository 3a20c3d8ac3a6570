// Messages next to the action that raised them.
//
// A page has a few message lines, each beside its controls (the top bar, the span panel,
// the deleted-spans list), in the flow of the page: they never cover the text. Showing a
// message in one line clears the others, so an old "Saved." never stands beside a newer
// refusal.

export class MessageLine {
  constructor(root, group) {
    this.root = root;
    this.group = group;
    this.text = root.querySelector("[data-message-text]");
    this.retryButton = root.querySelector("[data-message-retry]");
    this.retry = null;
    this.timer = null;
    this.retryButton.addEventListener("click", () => {
      const retry = this.retry;
      this.hide();
      if (retry) retry();
    });
    root.querySelector("[data-message-close]").addEventListener("click", () => this.hide());
  }

  show(message, kind = "info", retry = null) {
    this.group.hideAllBut(this);
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
    this.text.textContent = "";
    this.retry = null;
  }
}

export class Messages {
  // roots: {name: element}; each element holds [data-message-text], [data-message-retry]
  // and [data-message-close].
  constructor(roots) {
    this.lines = new Map(Object.entries(roots).map(([name, root]) => [name, new MessageLine(root, this)]));
  }

  at(name) {
    return this.lines.get(name);
  }

  hideAllBut(keep) {
    for (const line of this.lines.values()) if (line !== keep && !line.root.hidden) line.hide();
  }
}
