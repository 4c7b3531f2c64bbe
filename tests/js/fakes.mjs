// A stand-in for a Web Worker, shared by the tests of web/bridge.js (the one worker client):
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
