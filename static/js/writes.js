// Writes go to the server one at a time, in the order the user made them, so undo always
// applies to what the server has and a later write never overtakes an earlier one.

export class WriteQueue {
  constructor() {
    this.tail = Promise.resolve();
  }

  // Run `task` after every write queued before it, whether those succeeded or not.
  push(task) {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => {});
    return run;
  }
}

// Worth sending again: the network, the server or the session, not the request itself.
export function retryable(error) {
  return error.isNetwork || error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 429;
}
