// A small stand-in for the document (querySelector and all; tests/js/fakedom.mjs is the panels' simpler one), enough for the page modules that take `doc` as an argument
// (web/classroom/teacher.js, web/classroom/handin.js): elements with children, attributes, dataset, textContent,
// events, and querySelector(All) for `tag`, `[attr]` and `[attr="value"]` (data-* included),
// joined without spaces (`tr[data-student="Ada"]`) or with one space for a descendant.
function kebab(name) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export class FakeElement {
  constructor(tag, doc) {
    this.tagName = tag.toUpperCase();
    this.ownerDocument = doc;
    this.children = [];
    this.parentNode = null;
    this.attributes = new Map();
    this.dataset = new Proxy({}, {
      set: (target, key, value) => {
        this.attributes.set(`data-${kebab(key)}`, String(value));
        return true;
      },
      get: (target, key) => this.attributes.get(`data-${kebab(String(key))}`),
      deleteProperty: (target, key) => this.attributes.delete(`data-${kebab(String(key))}`),
      has: (target, key) => this.attributes.has(`data-${kebab(String(key))}`),
    });
    this.listeners = {};
    this.hidden = false;
    this.disabled = false;
    this.value = "";
    this.checked = false;
    this.className = "";
    this.text = "";
    this.style = {};
  }

  get classList() {
    const names = () => this.className.split(/\s+/).filter(Boolean);
    return {
      add: (...add) => { this.className = [...new Set([...names(), ...add])].join(" "); },
      remove: (...drop) => { this.className = names().filter((n) => !drop.includes(n)).join(" "); },
      toggle: (name, on = !names().includes(name)) => {
        this.className = (on ? [...new Set([...names(), name])] : names().filter((n) => n !== name)).join(" ");
      },
      contains: (name) => names().includes(name),
    };
  }

  setAttribute(name, value) {
    if (name === "class") this.className = String(value);
    else if (name in { hidden: 1, disabled: 1 }) this[name] = true;
    else this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    if (name === "class") return this.className;
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  removeAttribute(name) {
    if (name in { hidden: 1, disabled: 1 }) this[name] = false;
    this.attributes.delete(name);
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = typeof node === "string" ? this.ownerDocument.createTextNode(node) : node;
      child.parentNode?.children.splice(child.parentNode.children.indexOf(child), 1);
      child.parentNode = this;
      this.children.push(child);
    }
  }
  replaceChildren(...nodes) {
    for (const child of this.children) child.parentNode = null;
    this.children = [];
    this.append(...nodes);
  }
  // Inserts `nodes` after this element, in its parent.
  after(...nodes) {
    const parent = this.parentNode;
    if (!parent) return;
    for (const node of nodes) {
      node.parentNode?.children.splice(node.parentNode.children.indexOf(node), 1);
      node.parentNode = parent;
    }
    parent.children.splice(parent.children.indexOf(this) + 1, 0, ...nodes);
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  scrollIntoView() {
    this.scrolledIntoView = true;
  }

  remove() {
    if (this.parentNode) this.parentNode.children.splice(this.parentNode.children.indexOf(this), 1);
    this.parentNode = null;
  }

  get textContent() {
    return this.text + this.children.map((child) => child.textContent).join("");
  }
  set textContent(value) {
    this.replaceChildren();
    this.text = String(value);
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  dispatch(type, fields = {}) {
    const event = { type, target: this, currentTarget: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...fields };
    for (const listener of this.listeners[type] ?? []) listener(event);
    return event;
  }
  click() {
    if (!this.disabled) this.dispatch("click");
  }

  getContext() {
    this.drawn ??= [];
    const drawn = this.drawn;
    return {
      fillStyle: "",
      fillRect(x, y, w, h) {
        drawn.push([this.fillStyle, x, y, w, h]);
      },
    };
  }

  *walk() {
    for (const child of this.children) {
      if (!(child instanceof FakeElement)) continue;
      yield child;
      yield* child.walk();
    }
  }
  querySelectorAll(selector) {
    const steps = selector.trim().split(/\s+/).map(parseSimple);
    return [...this.walk()].filter((node) => matchesChain(node, steps, this));
  }
  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

function parseSimple(text) {
  const tag = text.match(/^[a-z0-9]+/i)?.[0]?.toUpperCase() ?? null;
  const attrs = [...text.matchAll(/\[([\w-]+)(?:="([^"]*)")?\]/g)].map(([, name, value]) => ({ name, value }));
  return { tag, attrs };
}

function matches(node, { tag, attrs }) {
  if (tag && node.tagName !== tag) return false;
  return attrs.every(({ name, value }) => (value === undefined ? node.hasAttribute(name) : node.getAttribute(name) === value));
}

function matchesChain(node, steps, root) {
  if (!matches(node, steps.at(-1))) return false;
  let rest = steps.slice(0, -1);
  for (let up = node.parentNode; rest.length && up && up !== root.parentNode; up = up.parentNode) {
    if (matches(up, rest.at(-1))) rest = rest.slice(0, -1);
  }
  return rest.length === 0;
}

class FakeText {
  constructor(text) {
    this.textContent = text;
    this.parentNode = null;
  }
}

export class FakeDocument {
  constructor() {
    this.body = new FakeElement("body", this);
  }
  createElement(tag) {
    return new FakeElement(tag, this);
  }
  createTextNode(text) {
    return new FakeText(String(text));
  }
}
