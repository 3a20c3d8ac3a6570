// The annotate page's keyboard shortcuts outside form fields: label keys, undo, Esc,
// Delete, and next / previous article. Which key does what comes from the server (label
// shortcuts, article keys); this module only maps keys to the page's actions.

function isFormField(element) {
  return Boolean(element && element.closest && element.closest("input, textarea, select, [contenteditable]"));
}

export class PageKeys {
  constructor({ labels, articleKeys, actions }) {
    this.shortcuts = new Map(
      labels.filter((label) => label.shortcut).map((label) => [label.shortcut.toLowerCase(), label.slug]),
    );
    // The same keys by position, so "c" still means claim with an Arabic or Cyrillic layout.
    this.shortcutCodes = new Map();
    for (const [key, slug] of this.shortcuts) {
      if (/^[a-z]$/.test(key)) this.shortcutCodes.set(`Key${key.toUpperCase()}`, slug);
      else if (/^[0-9]$/.test(key)) this.shortcutCodes.set(`Digit${key}`, slug);
    }
    this.articleKeys = articleKeys;
    // {undo, escape, deleteOpen, applyLabel, nextArticle, previousArticle, intercept}; intercept
    // (optional) sees a key first and answers true when it used it.
    this.actions = actions;
  }

  bind() {
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  onKey(event) {
    if (event.defaultPrevented || event.isComposing) return;
    const inField = isFormField(event.target);
    const key = event.key;
    const { actions } = this;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && key.toLowerCase() === "z") {
      if (inField) return; // the browser's own undo inside the field
      event.preventDefault();
      actions.undo();
      return;
    }
    if (inField) {
      if (key === "Escape") event.target.blur();
      return;
    }
    if (actions.intercept?.(event)) return;
    if (key === "Escape") {
      actions.escape();
      return;
    }
    if ((key === "Delete" || key === "Backspace") && !event.ctrlKey && !event.metaKey) {
      if (actions.deleteOpen()) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || key.length !== 1) return;
    if (key === this.articleKeys.nextArticle || key === this.articleKeys.previousArticle) {
      event.preventDefault();
      if (key === this.articleKeys.nextArticle) actions.nextArticle();
      else actions.previousArticle();
      return;
    }
    const slug = this.shortcuts.get(key.toLowerCase()) || this.shortcutCodes.get(event.code);
    if (slug) {
      event.preventDefault();
      actions.applyLabel(slug);
    }
  }
}
