// A document small enough to read: what the page's panels use of the DOM (elements, text through
// textContent, attributes, dataset, events, focus), for node --test. `byTestId` finds a hook.
class FakeNode {
  constructor(doc, tagName) {
    this.ownerDocument = doc;
    this.tagName = tagName.toUpperCase();
    this.children = [];
    this.parent = null;
    this.attributes = {};
    this.dataset = {};
    this.listeners = {};
    this.className = "";
    this.hidden = false;
    this.disabled = false;
    this.value = "";
    this.ownText = "";
  }

  get textContent() {
    return this.ownText + this.children.map((child) => child.textContent).join("");
  }

  set textContent(text) {
    this.children = [];
    this.ownText = String(text);
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = typeof node === "string" ? this.ownerDocument.createTextNode(node) : node;
      child.parent = this;
      this.children.push(child);
    }
  }

  replaceChildren(...nodes) {
    this.children = [];
    this.ownText = "";
    this.append(...nodes);
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  getAttribute(name) {
    return this.attributes[name] ?? null;
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  dispatch(type, fields = {}) {
    const event = { type, target: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...fields };
    for (const listener of this.listeners[type] ?? []) listener(event);
    return event;
  }

  // A click as a browser makes it: nothing happens on a disabled button.
  click() {
    if (!this.disabled) this.dispatch("click");
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  *walk() {
    yield this;
    for (const child of this.children) yield* child.walk();
  }

  byTestId(testid) {
    for (const node of this.walk()) if (node.dataset?.testid === testid) return node;
    return null;
  }

  all(predicate) {
    return [...this.walk()].filter(predicate);
  }
}

class FakeText extends FakeNode {
  constructor(doc, text) {
    super(doc, "#text");
    this.ownText = text;
  }
}

export class FakeDocument {
  constructor() {
    this.activeElement = null;
  }

  createElement(tag) {
    return new FakeNode(this, tag);
  }

  createTextNode(text) {
    return new FakeText(this, text);
  }
}
