// Wiring: the URL hash and the controls, the worker, the canvases and the readouts.
// Text from the hash, the inputs or the worker only ever reaches the page through textContent.
import { Bridge } from "./bridge.js";
import { ChartView, Curves } from "./chart.js";
import { BoundaryView } from "./draw.js";
import { CLASS_RANGE, FIELDS, KEYS, fitClasses, parseHash, parseValue, parseView, serialiseHash } from "./state.js";
import { CodePanel } from "./code.js";
import { GradcheckPanel } from "./gradcheck.js";
import { InspectPanel } from "./inspect.js";
import { installShortcuts } from "./keys.js";
import { applyHide } from "./present.js";
import { UnitsStrip } from "./units.js";
import { DataEditor } from "./dataedit.js";
import { DigitsView } from "./digits.js";
import { ModelFiles } from "./modelio.js";
import { BackpropPanel } from "./backprop.js";
import { NetworkDiagram } from "./diagram.js";

const $ = (id) => document.getElementById(id);
const controls = Object.fromEntries(KEYS.map((key) => [key, $(key)]));
const buttons = { play: $("play"), step: $("step"), reset: $("reset"), restart: $("restart") };
const readouts = {
  epoch: $("epoch"),
  trainLoss: $("train-loss"),
  testLoss: $("test-loss"),
  trainAcc: $("train-accuracy"),
  testAcc: $("test-accuracy"),
};
const statusLine = $("status");
const messageBox = $("message");

const boundary = new BoundaryView($("boundary"));
const chart = new ChartView($("chart"));
const curves = new Curves();

const STEPS = ["runtime", "numpy", "pynn"];
const loading = {};
let settings = null;
let view = { hide: [] }; // the hash's presentation options (state.js parseView)
let configured = false; // the worker holds data and a net for `settings`
let playing = false;
let pending = 0; // id of the configure/reset whose answer is awaited
let failed = false;
let dirty = false;
let gridPaints = 0;

const bridge = new Bridge({
  createWorker: () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }),
  onMessage: receive,
  onFailure: workerFailed,
});

// Looking inside the net (issue 4): each panel asks pynn through bridge.call and hears of each result.
const call = (method, args) => bridge.call(method, args);
const insidePanels = [
  new InspectPanel({ panel: $("inspect-panel"), canvas: boundary.canvas, call }),
  new UnitsStrip({ root: $("hidden-units"), call }),
  new GradcheckPanel({ button: $("gradcheck"), result: $("gradcheck-result"), call }),
  new CodePanel({ root: $("code-panel"), call }),
];

// Your own data, the model file and the digits (issue 4): they change the points or the net through
// Session methods and hand each answer to `took`, which draws it like a configure's.
const page = {
  call,
  took: (message, fresh) => took(message, fresh),
  showMessages: (lines, kind) => showMessages(lines, kind),
  pause: () => {
    setPlaying(false);
    bridge.send({ type: "pause" });
  },
  settings: () => settings,
};
const dataPanels = [
  new DataEditor({
    canvas: boundary.canvas, picker: $("point-class"), clear: $("clear-points"), upload: $("csv-upload"),
    save: $("csv-download"), count: $("point-count"), page,
  }),
  new ModelFiles({
    exportButton: $("export-model"), importInput: $("import-model"), pictureButton: $("save-picture"),
    historyButton: $("download-history"), canvas: boundary.canvas, curves, page,
  }),
  new DigitsView({
    pad: $("digit-pad"), clear: $("clear-pad"), probs: $("digit-probs"), preview: $("digit-preview"),
    mistakes: $("misclassified"), page,
  }),
];
// The network diagram and the backprop stepper, which puts its stage in the diagram's focus.
const diagram = new NetworkDiagram({
  canvas: $("network-diagram"), note: $("network-note"), caption: $("network-focus"), call,
});
dataPanels.push(diagram, new BackpropPanel({ root: $("backprop-panel"), canvas: boundary.canvas, diagram, page }));

// --- messages and status ----------------------------------------------------------------------

function showMessages(lines, kind = "notice") {
  messageBox.replaceChildren(
    ...lines.map((line) => {
      const p = document.createElement("p");
      p.textContent = line;
      return p;
    }),
  );
  messageBox.classList.toggle("error", kind === "error");
}

function setStatus(text, state = "") {
  statusLine.textContent = text;
  statusLine.classList.toggle("ready", state === "ready");
  statusLine.classList.toggle("failed", state === "failed");
}

function showLoading() {
  const parts = STEPS.map((step) => {
    const state = loading[step];
    return `${step} ${state === "done" ? "✓" : state === "loading" ? "…" : "·"}`;
  });
  setStatus(`Loading: ${parts.join("  ")}`);
}

// --- controls and the hash ----------------------------------------------------------------------

function fillClasses() {
  const [low, high] = CLASS_RANGE[settings.dataset];
  const options = [];
  for (let c = low; c <= high; c++) {
    const option = document.createElement("option");
    option.value = String(c);
    option.textContent = String(c);
    options.push(option);
  }
  controls.classes.replaceChildren(...options);
  controls.classes.disabled = low === high;
  // The digits and your own points are not generated: points and noise do not apply.
  controls.points.disabled = controls.noise.disabled = ["digits", "custom"].includes(settings.dataset);
}

function fillControls() {
  controls.dataset.value = settings.dataset;
  fillClasses();
  for (const key of KEYS) {
    controls[key].value = String(settings[key]);
    controls[key].classList.remove("bad");
  }
}

function writeHash() {
  const hash = `#${serialiseHash(settings, view)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function applyHash() {
  const parsed = parseHash(location.hash);
  const present = parseView(location.hash);
  settings = parsed.settings;
  view = present.view;
  fillControls();
  applyHide(view.hide, KEYS);
  showMessages([...parsed.messages, ...present.messages], "error");
  writeHash();
  configure();
}

function controlChanged(key) {
  const input = controls[key];
  const parsed = parseValue(key, input.value);
  if ("error" in parsed) {
    showMessages([`${parsed.error}; kept ${settings[key]}`], "error");
    input.value = String(settings[key]);
    input.classList.add("bad");
    return;
  }
  input.classList.remove("bad");
  if (parsed.value === settings[key]) {
    input.value = String(settings[key]);
    return;
  }
  settings = { ...settings, [key]: parsed.value };
  if (key === "dataset") {
    settings.classes = fitClasses(settings.dataset, settings.classes);
    fillClasses();
    controls.classes.value = String(settings.classes);
  }
  input.value = String(settings[key]);
  showMessages([]);
  writeHash();
  configure();
}

// --- requests to the worker -----------------------------------------------------------------------

function configure() {
  configured = false;
  setPlaying(false);
  updateButtons();
  pending = bridge.send({ type: "configure", settings });
  updateModel();
}

function setPlaying(value) {
  playing = value;
  buttons.play.textContent = playing ? "Pause" : "Play";
  buttons.play.setAttribute("aria-pressed", String(playing));
}

function updateButtons() {
  const usable = configured && !failed;
  buttons.play.disabled = !usable;
  buttons.step.disabled = !usable;
  buttons.reset.disabled = !usable;
}

// --- answers from the worker --------------------------------------------------------------------

function receive(message) {
  switch (message.type) {
    case "status":
      loading[message.step] = message.state;
      showLoading();
      break;
    case "ready":
      for (const step of STEPS) loading[step] = "done";
      showLoading();
      // Where the start-up time went, for bench/browser.py (ms since the worker started).
      statusLine.dataset.runtimeMs = String(Math.round(message.timings.runtime));
      statusLine.dataset.pynnMs = String(Math.round(message.timings.pynn));
      statusLine.dataset.snapshot = String(message.timings.snapshot);
      break;
    case "failed":
      failed = true;
      setStatus(`Failed to load ${message.step}: ${message.message}`, "failed");
      showMessages([`Could not start Python (${message.step}): ${message.message}`], "error");
      buttons.restart.hidden = false;
      updateButtons();
      break;
    case "configured":
      if (message.id !== pending) break; // superseded by a later configure
      configured = true;
      showData(message);
      curves.clear();
      takeResult(message);
      if (!statusLine.classList.contains("ready")) {
        setStatus("Ready", "ready");
        statusLine.dataset.readyMs = String(Math.round(performance.now())); // since navigation
      }
      updateButtons();
      break;
    case "progress":
      if (!configured) break; // from a net that a configure has since replaced
      takeResult(message);
      break;
    case "paused":
      break;
    case "invalid":
      setPlaying(false);
      showMessages([`pynn refused the setup: ${message.message}`], "error");
      break;
    case "error":
      setPlaying(false);
      showMessages([`Something went wrong in Python: ${message.message}`], "error");
      break;
  }
}

function showData(message) {
  boundary.setData({
    classes: message.classes,
    extent: message.extent,
    trainXy: message.train_xy,
    trainY: message.train_y,
    testXy: message.test_xy,
    testY: message.test_y,
  });
  showClassKey(message.classes);
}

// A Session answer with new points (fresh: false, the net trains on) or new data and a new net
// (fresh: true), and the settings that now hold. A configure sent after it supersedes it.
function took(message, fresh) {
  if (message.id < pending) return;
  settings = message.settings;
  fillControls();
  writeHash();
  updateModel();
  if (fresh) {
    pending = message.id;
    receive({ ...message, type: "configured" });
    return;
  }
  showData(message);
  takeResult({ ...message, type: "edited" });
}

function takeResult(message) {
  if (message.heapBytes) statusLine.dataset.heapBytes = String(message.heapBytes); // for soak tests
  curves.add(message.epoch, {
    trainLoss: message.train_loss,
    testLoss: message.test_loss,
    trainAcc: message.train_acc,
    testAcc: message.test_acc,
  });
  if (message.grid_size) boundary.setGrid(message.grid_size, message.grid_class, message.grid_prob); // none for the digits
  gridPaints += 1;
  // Only the worker stopping (divergence) turns play off here: a chunk already on its way when the
  // user paused still says playing, and must not turn the button back to "Pause".
  if (!message.playing) setPlaying(false);
  if (message.diverged) showMessages([message.diverged], "error");
  showReadouts(message.epoch);
  requestPaint();
  for (const panel of insidePanels) panel.update(message);
  for (const panel of dataPanels) panel.update(message);
}

function formatNumber(value, digits) {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1e4) return value.toExponential(2);
  return value.toFixed(digits);
}

function showReadouts(epoch) {
  const last = curves.length - 1;
  readouts.epoch.textContent = String(epoch);
  readouts.trainLoss.textContent = formatNumber(curves.trainLoss[last], 4);
  readouts.testLoss.textContent = formatNumber(curves.testLoss[last], 4);
  readouts.trainAcc.textContent = formatNumber(curves.trainAcc[last], 3);
  readouts.testAcc.textContent = formatNumber(curves.testAcc[last], 3);
}

function showClassKey(classes) {
  const items = [];
  for (let c = 0; c < classes; c++) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.className = `swatch c${c}`;
    item.append(swatch, `class ${c}`);
    items.push(item);
  }
  $("classes-key").replaceChildren(...items);
}

function updateModel() {
  const [inputs, space] = settings.dataset === "digits" ? [64, "ℝ⁶⁴ (8×8 pixels)"] : [2, "ℝ²"];
  const params = settings.hidden * inputs + settings.hidden + settings.classes * settings.hidden + settings.classes;
  $("shape").textContent =
    `x ∈ ${space} → ${settings.hidden} hidden (ReLU) → ${settings.classes} classes (softmax) · ${params.toLocaleString("en")} parameters`;
}

function workerFailed(reason) {
  failed = true;
  configured = false;
  setPlaying(false);
  updateButtons();
  setStatus(`Python stopped: ${reason}`, "failed");
  showMessages([`The Python worker stopped (${reason}). Press Restart to start it again with the same setup.`], "error");
  buttons.restart.hidden = false;
}

function restart() {
  failed = false;
  buttons.restart.hidden = true;
  for (const step of STEPS) delete loading[step];
  showMessages([]);
  setStatus("Loading…");
  bridge.start();
  configure();
}

// --- painting -------------------------------------------------------------------------------------

function requestPaint() {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(() => {
    dirty = false;
    boundary.paint();
    chart.paint(curves);
    boundary.canvas.dataset.paints = String(gridPaints);
  });
}

// --- start ----------------------------------------------------------------------------------------

for (const key of KEYS) {
  controls[key].addEventListener("change", () => controlChanged(key));
  controls[key].addEventListener("input", () => controls[key].classList.remove("bad"));
}
for (const key of KEYS) {
  const range = document.getElementById(`${key}-range`);
  if (range) range.textContent = `${FIELDS[key].min}–${FIELDS[key].max}`;
}
buttons.play.addEventListener("click", () => {
  setPlaying(!playing);
  bridge.send({ type: playing ? "play" : "pause" });
});
buttons.step.addEventListener("click", () => {
  setPlaying(false);
  bridge.send({ type: "step" });
});
buttons.reset.addEventListener("click", () => {
  setPlaying(false);
  showMessages([]);
  pending = bridge.send({ type: "reset" });
});
buttons.restart.addEventListener("click", restart);
window.addEventListener("hashchange", applyHash);
new ResizeObserver(requestPaint).observe(boundary.canvas);
new ResizeObserver(requestPaint).observe(chart.canvas);

// For end-to-end tests of worker faults (issue 6): stop the worker as if it had crashed.
globalThis.pynnTest = Object.freeze({ terminateWorker: () => bridge.kill("the worker was terminated") });

installShortcuts();
showLoading();
bridge.start();
applyHash();
