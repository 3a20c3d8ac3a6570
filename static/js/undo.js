// The undo history of the annotate page: what the user did, newest last, and the Undo
// button's state. Applying an entry is the page's job (it knows how to write).

const DEPTH = 100;

export class UndoStack {
  constructor(button) {
    this.button = button;
    this.entries = [];
  }

  push(entry) {
    this.entries.push(entry);
    if (this.entries.length > DEPTH) this.entries.shift();
    this.sync();
  }

  pop() {
    const entry = this.entries.pop();
    this.sync();
    return entry;
  }

  sync() {
    this.button.disabled = this.entries.length === 0;
  }
}
