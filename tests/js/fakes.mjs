// A stand-in for a Web Worker, shared by the tests of web/start/bridge.js (the one worker client):
// it records what the page posts (`sent`), whether it was terminated, and `say(data)` delivers a
// message from the worker as its onmessage would.
export class FakeWorker {
  constructor() {
    this.sent = [];
    this.terminated = false;
  }
  postMessage(message) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  say(data) {
    this.onmessage?.({ data });
  }
}

// Timers that fire only when told: fire() every pending one, or fire(ms) those set for ms.
export function fakeTimers() {
  return {
    pending: new Map(),
    next: 1,
    setTimeout(fn, ms) {
      const id = this.next++;
      this.pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout(id) {
      this.pending.delete(id);
    },
    fire(ms) {
      for (const [id, entry] of [...this.pending]) {
        if (ms !== undefined && entry.ms !== ms) continue;
        this.pending.delete(id);
        entry.fn();
      }
    },
  };
}
