// Wiring: the URL hash and the controls, the worker, the canvases and the readouts.
// Text from the hash, the inputs or the worker only ever reaches the page through textContent.
//
// The play loop lives here, on the main thread, as a chain of Session.run calls: the worker only
// answers calls, one at a time and in order, so a setting changed, a reset or an inspect request
// made while training simply queues between two chunks, pausing is "do not ask again", and the
// speed control is how much each call asks for and how long the page waits before the next.
import TABLE from "./settings.js";
import { Bridge } from "./start/bridge.js";
import { checkMessage } from "./start/messages.js";
import { MESSAGE } from "./start/protocol.js";
import { createSandbox } from "./start/sandbox.js";
import { ChartView, Curves } from "./training/chart.js";
import { applyPalette, el } from "./dom.js";
import { BoundaryView } from "./training/boundary.js";
import { PACES, paceOf, paceLabel } from "./training/speed.js";
import { makeState } from "./state.js";
import { CodePanel } from "./inside/sourcecode.js";
import { GradcheckPanel } from "./inside/gradcheck.js";
import { InspectPanel } from "./inside/inspect.js";
import { installShortcuts } from "./training/shortcuts.js";
import { applyHide } from "./teaching/hidecontrols.js";
import { UnitsStrip } from "./inside/hiddenunits.js";
import { DataEditor } from "./data/dataedit.js";
import { DigitsView } from "./data/digits.js";
import { ModelFiles } from "./data/modelio.js";
import { BackpropPanel } from "./inside/backprop.js";
import { NetworkDiagram } from "./inside/diagram.js";
import { hideBytes, showBytes } from "./start/loadbar.js";
import { keepForOffline } from "./start/offline.js";
import { CHECK_TIMEOUT_MS, ExercisesPanel } from "./teaching/exercises.js";
import { createEditor } from "./teaching/editor.js";
import { PlaneAxes } from "./training/axes.js";
import { PlanePreview } from "./start/preview.js";
import { Controls } from "./training/controls.js";
import { DivergedState } from "./training/diverged.js";
import { markerIcon } from "./training/markers.js";
import { installPlaneKeys } from "./training/planekeys.js";
import { Handout } from "./teaching/print.js";
import { Projector } from "./teaching/projector.js";
import { compactCount, fixedWidth } from "./training/readouts.js";
import { SettingsFold } from "./training/settingsfold.js";
import { Share } from "./data/share.js";
import { holdHeight } from "./inside/holdheight.js";
import { Summary } from "./training/summary.js";
import { Tour } from "./teaching/tour.js";
import { LessonPanel } from "./teaching/lessons.js";
import { Derivation, derivationHandIn, storedDerivation } from "./teaching/deriveview.js";
import { makeAssignment } from "./classroom/assignment.js";
import { ExerciseLog, applyLayout, applyPanels, pagePython } from "./classroom/classroom.js";
import { pageStorage } from "./start/storage.js";
import { download } from "./data/files.js";
import { HandInPanel } from "./classroom/handin.js";

const $ = (id) => document.getElementById(id);
const STEPS = ["runtime", "numpy", "pynn"];
const FOLLOW_RATE = 30; // SGD updates a second up to which each update's example is shown
const SANDBOX_CALL_MS = CHECK_TIMEOUT_MS;

// The hash's parser and writer for this page's table (state.js: makeState(TABLE)), set first by main().
let FIELDS, defaults, KEYS, CLASS_RANGE, VIEW_FIELDS, applies, fitClasses, parseHash, parseValue, parseView, serialiseHash;

const loading = {};
let settings = null;
let view = { hide: [] }; // the hash's presentation options (state.js parseView)
let configured = false; // Python has answered a first configure: the buttons can work
let playing = false;
let looping = false; // a play loop is running (it stops once `playing` is false)
let asked = 0; // ticket of the latest call that sets up data or a net: only its settings are shown
let failed = false;
let dirty = false;
let gridPaints = 0;

// Training with your code: while it is on, the Session the page talks to is the sandbox's (the
// training worker's state handed over: pynn.page.handover); `yourCodeIn` is the sandbox's start it
// lives in. If that sandbox stops (an endless loop timed out, a crash), training goes back to the
// training worker, from where it was when the student's code took over.
let yourCode = false;
let yourCodeIn = 0;

// The page's parts, made once by main() through the function named beside each group.
let controls, buttons, speed, readouts, statusLine, messageBox, handout, boundary, chart, curves; // findTrainingView
let bridge, sandbox; // makeWorkers
let insidePanels; // wireInside
let page; // pageForPanels
let dataPanels, diagram, stepper; // wireData
let ASSIGNMENT, assigned, assignment, assignmentHash, storage, exerciseLog, python; // readAssignment
let exercises, derivation, lessons, handin; // wireExercises
let teacherPage = null; // showTeacher, when first shown
let setupControls, settingsFold, tour, projector, planeAxes, preview, teachPanels; // wireTeaching

// The training view: the settings' controls, the buttons, the readouts and the message line, the
// plane and the curves.
function findTrainingView() {
  controls = Object.fromEntries(KEYS.map((key) => [key, $(key)]));
  buttons = { play: $("play"), step: $("step"), stepOne: $("step-one"), reset: $("reset"), restart: $("restart") };
  speed = $("speed");
  readouts = {
    epoch: $("epoch"),
    updates: $("updates"),
    trainLoss: $("train-loss"),
    testLoss: $("test-loss"),
    trainAcc: $("train-accuracy"),
    testAcc: $("test-accuracy"),
  };
  statusLine = $("status");
  messageBox = $("message");
  handout = new Handout($("handout-setup"), KEYS);
  boundary = new BoundaryView($("boundary"));
  chart = new ChartView($("chart"));
  for (const [id, option] of [["chart-log", "log"], ["chart-smooth", "smooth"]]) {
    chart[option] = $(id).checked;
    $(id).addEventListener("change", () => {
      chart[option] = $(id).checked;
      requestPaint();
    });
  }
  curves = new Curves();
}

function takeBootWorker() {
  const worker = globalThis.pynnBootWorker ?? null;
  delete globalThis.pynnBootWorker;
  return worker;
}

// Python's two workers: the training worker, and the sandbox where other people's code (the
// exercises' checks, training with a student's functions) runs (web/start/sandbox.js), whose every
// answer is checked (web/start/messages.js).
function makeWorkers() {
  bridge = new Bridge({
    // The first worker was started by boot.js, before this module's imports; a restart makes a new one.
    createWorker: () => takeBootWorker() ?? new Worker(new URL("./start/worker.js", import.meta.url), { type: "module" }),
    loadTimeoutMs: TABLE.timeouts_ms.start,
    onMessage: loadingMessage,
    onFailure: workerFailed,
  });
  sandbox = new Bridge({
    createWorker: () => createSandbox(),
    loadTimeoutMs: TABLE.timeouts_ms.start,
    onMessage: () => {}, // its start-up is told by the calls that wait on it (web/teaching/exercises.js)
    onFailure: () => {},
    checkMessage,
  });
}

// A Session call, to the worker that holds the net now. Looking inside the net: each panel asks
// pynn through it and hears of each result.
async function call(method, args, options = {}) {
  if (yourCode && sandbox.starts !== yourCodeIn) leaveSandbox("the sandbox for your code was restarted");
  if (!yourCode) return bridge.call(method, args, options);
  try {
    return await sandbox.call(method, args, { ...options, timeoutMs: SANDBOX_CALL_MS });
  } catch (error) {
    if (error.kind === "invalid" || error.kind === "superseded" || !yourCode) throw error;
    leaveSandbox(error.kind === "timeout"
      ? `your code did not finish within ${Math.round(SANDBOX_CALL_MS / 1000)} s (an endless loop?)`
      : error.message);
    return bridge.call(method, args, options);
  }
}

// The state a Session answer carries, without the answer's envelope.
function stateOf({ type, id, heapBytes, ...state }) {
  return state;
}

const yourCodeSwitch = {
  async on(sources) {
    if (!yourCode || sandbox.starts !== yourCodeIn) {
      yourCode = false;
      if (!sandbox.worker || sandbox.failed) sandbox.start();
      const state = stateOf(await bridge.call("export_state"));
      await sandbox.call("import_state", state, { timeoutMs: SANDBOX_CALL_MS });
    }
    const answer = await sandbox.call("use_student_code", { sources }, { timeoutMs: SANDBOX_CALL_MS });
    yourCode = true;
    yourCodeIn = sandbox.starts;
    return answer;
  },
  async off() {
    if (!yourCode) return { using: [] };
    yourCode = false;
    try {
      const state = stateOf(await sandbox.call("export_state", {}, { timeoutMs: SANDBOX_CALL_MS }));
      took(await bridge.call("import_state", state));
    } catch (error) {
      if (error.kind === "invalid") showMessages([`The sandbox's net could not be taken back (${error.message}): training goes on from where it was when your code took over.`], "error");
      took(await bridge.call("edited"));
    }
    return { using: [] };
  },
};

function leaveSandbox(reason) {
  if (!yourCode) return;
  yourCode = false;
  exercises.trainingLeft(reason);
  bridge.call("edited").then((result) => took(result)).catch((error) => refused(error, "pynn refused to go on"));
}

// The look inside: the equations at a spot of the plane, the hidden units, the gradient check, the code.
function wireInside() {
  insidePanels = [
    new InspectPanel({ panel: $("inspect-panel"), canvas: boundary.canvas, call, kinds: TABLE.kinds }),
    new UnitsStrip({ root: $("hidden-units"), call }),
    new GradcheckPanel({ button: $("gradcheck"), result: $("gradcheck-result"), call }),
    new CodePanel({ root: $("code-panel"), call }),
  ];
}

// What the data and teaching panels may do to the page. Your own data, the model file and the
// digits change the points or the net through Session methods and hand each answer to `took`,
// which draws it like a configure's.
function pageForPanels() {
  return {
    call,
    took: (result) => took(result),
    progress: (result) => showRun(result),
    showMessages: (lines, kind, action) => showMessages(lines, kind, action),
    pause: () => setPlaying(false),
    settings: () => settings,
    table: TABLE,
    serialise: (values, shown) => serialiseHash(values, shown),
    view: () => view,
    setView: (patch) => {
      view = { ...view, ...patch };
      writeHash();
    },
    reset: () => buttons.reset.click(),
    startFresh: (values, shown) => startFresh(values, shown),
    play: buttons.play,
    readouts: document.querySelector(".metrics .readouts"),
  };
}

// Data: your own points, the model file, the digits; the network diagram and the backprop stepper,
// which puts its stage in the diagram's focus.
function wireData() {
  dataPanels = [
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
  diagram = new NetworkDiagram({
    canvas: $("network-diagram"), note: $("network-note"), caption: $("network-focus"), call,
  });
  stepper = new BackpropPanel({ root: $("backprop-panel"), canvas: boundary.canvas, diagram, page });
  dataPanels.push(diagram, stepper);
  $("csv-limits").textContent = `, labels 0–${TABLE.csv.max_label}, at most ${TABLE.csv.max_rows.toLocaleString("en")} rows`;
}

// An assignment link (#assign=…&exercises=…: web/classroom/assignment.js), read once as the page opens: its
// title, exercises, panels and whether the solutions are offered; where the page keeps the
// exercises' log, and the page's Python for the hand-in (web/classroom/handin.js).
function readAssignment() {
  ASSIGNMENT = makeAssignment(TABLE);
  // The keys an assignment shares with the view (equations=) are noted by the view's reader (state.js).
  assigned = ASSIGNMENT.parse(location.hash, { toldElsewhere: ASSIGNMENT.NAMES.filter((key) => Object.hasOwn(VIEW_FIELDS, key)) });
  assignment = assigned.assignment.given.length ? assigned.assignment : null;
  assignmentHash = assignment ? ASSIGNMENT.serialise(assignment) : "";
  storage = pageStorage(); // null in an iframe of another origin that may not store
  exerciseLog = new ExerciseLog(storage);
  python = pagePython((method, args) => bridge.call(method, args));
}

// Write the network yourself (the exercises, checked in the sandbox), derive the gradients, hand
// in; an assignment's title and panels; the way to the teacher's page.
function wireExercises() {
  exercises = new ExercisesPanel({
    root: $("exercises"), call: (method, args) => bridge.call(method, args), sandbox, yourCode: yourCodeSwitch, badgeHost: document.querySelector(".stage .toolbar"), createEditor,
    equations: () => view.equations,
    assignment, log: exerciseLog, storage,
    showMessages: (lines, kind) => showMessages(lines, kind),
    onOpen: (name) => {
      view = { ...view, exercise: name, code: "" }; // linked code is shown once, not kept in the hash
      writeHash();
    },
  });
  // Derive the gradients: the catalogue from the training worker, every answer checked in the sandbox.
  derivation = new Derivation({
    root: $("derive"), openButton: $("derive-open"), call: (method, args) => bridge.call(method, args), sandbox, storage,
    timeoutMs: CHECK_TIMEOUT_MS,
    onOpen: (step) => {
      view = { ...view, derive: step };
      writeHash();
    },
  });
  lessons = new LessonPanel({ root: $("lesson"), menu: $("lessons"), lessons: TABLE.lessons ?? [], page, storage,
    assigned: assignment?.lessons ?? [], onChange: () => handin.refresh() });
  handin = new HandInPanel({
    root: $("exercises").appendChild(el("div", "handin-slot")), python, catalogue: TABLE.lessons ?? [],
    lessons: () => (assignment?.lessons.length ? lessons.handIn() : null),
    derivation: () => derivationHandIn(storedDerivation(storage), TABLE.derive.steps),
    exercises: () => exerciseLog.exercises(exercises.names, (name) => exercises.stored(name), exercises.results),
    assignment: () => ({ title: assignment?.assign ?? "", hash: assignmentHash }), build: "dev", download, storage,
  });
  exerciseLog.listeners.push(() => handin.refresh());
  if (assignment) {
    $("assignment-title").textContent = assignment.assign || "Assignment";
    $("assignment-title").hidden = false;
    if (assignment.lessons.length) $("assignment-title").after(lessons.assignedList());
    applyPanels(assignment.panels);
    // The build the hand-in names: manifest.json's id (written after every file, so not in settings.js).
    fetch(new URL("manifest.json", location.href)).then((response) => response.json())
      .then(({ build }) => { if (typeof build === "string") handin.build = build; }).catch(() => {});
  }
  $("teacher-link").addEventListener("click", () => {
    view = { ...view, view: view.view === "teacher" ? "" : "teacher" };
    writeHash();
    showLayout();
  });
}

// The teacher's page (#view=teacher: web/classroom/teacher.js), made when first shown. Grading restarts the
// sandbox before each student (fresh), so one student's code cannot change another's result.
async function showTeacher() {
  if (teacherPage) return;
  const { TeacherPage } = await import("./classroom/teacher.js");
  teacherPage = new TeacherPage({
    root: $("teacher"), table: TABLE, state: makeState(TABLE), current: () => ({ settings, hide: view.hide }),
    base: location.href.split("#")[0], clipboard: navigator.clipboard, python, download,
    check: (name, source) => exercises.checkInSandbox(name, source),
    fresh: () => { // a new sandbox, ready (its first answer) before the student's first check
      sandbox.start();
      return sandbox.call("exercise_catalogue", {}, { timeoutMs: SANDBOX_CALL_MS }).catch(() => {}); // a failed start: each check says so
    },
  });
}
function showLayout() {
  applyLayout(view.view);
  $("teacher-link").textContent = view.view === "teacher" ? "Leave the teacher's page" : "For teachers";
  if (view.view === "teacher") showTeacher().catch((error) => showMessages([`The teacher's page did not open: ${error.message}`], "error"));
}

// Teaching with the page: help and sliders, the tour, lessons, sharing, projector mode, the
// screen-reader summary and the way out of divergence. Each panel hears every answer.
function wireTeaching() {
  setupControls = new Controls({ helpBox: $("help-box"), table: TABLE });
  settingsFold = new SettingsFold({
    button: $("settings-fold"), summary: $("settings-fold-summary"), root: $("settings-body").parentElement,
  });
  tour = new Tour({
    root: $("tour"), openButton: $("tour-button"), page, hint: $("first-hint"), hintTour: $("first-hint-tour"),
    hintClose: $("first-hint-close"), tagline: $("tagline"), storage, lessons, steps: TABLE.tour.cards,
  });
  projector = new Projector({ button: $("projector"), page });
  planeAxes = new PlaneAxes($("plane"), TABLE.kinds);
  // Until Python's first answer: the data set's points as pynn drew them at build time.
  preview = new PlanePreview({
    note: $("plane-loading"), tag: $("preview-tag"), text: $("plane-loading-text"),
    show: (data) => {
      boundary.setData(data);
      showClassKey(data.classes);
      planeAxes.update({ extent: data.extent, dataset: settings.dataset });
      requestPaint();
    },
  });
  holdHeight($("inspect-panel"));
  installPlaneKeys(boundary.canvas);
  teachPanels = [
    planeAxes,
    new Share({ button: $("copy-link"), status: $("copy-status"), page }),
    new Summary($("summary"), () => playing),
    new DivergedState({ buttons, lrBox: controls.lr, page, smallest: TABLE.fields.lr.min }),
  ];
}

// --- messages and status ----------------------------------------------------------------------

// `action`: { label, testid, run } adds a button that does what the message asks.
function showMessages(lines, kind = "notice", action = null) {
  messageBox.replaceChildren(...lines.map((line) => el("p", "", line)));
  if (action) {
    const button = el("button", "button small", action.label);
    button.type = "button";
    button.dataset.testid = action.testid;
    button.addEventListener("click", action.run);
    messageBox.append(button);
  }
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
    const option = el("option", "", String(c));
    option.value = String(c);
    options.push(option);
  }
  controls.classes.replaceChildren(...options);
  controls.classes.disabled = low === high;
  // The digits and your own points are not generated: points and noise do not apply.
  for (const key of KEYS) {
    if (key !== "dataset" && key !== "classes") controls[key].disabled = !applies(key, settings.dataset);
  }
}

function fillControls() {
  controls.dataset.value = settings.dataset;
  fillClasses();
  for (const key of KEYS) {
    if (controls[key] === document.activeElement && controls[key].value !== String(settings[key])) continue; // being typed in
    controls[key].value = String(settings[key]);
    controls[key].classList.remove("bad");
  }
  setupControls.syncAll();
  settingsFold.show(settings);
}

function writeHash() {
  // equations= is the view's (state.js) and the assignment's: written once, in the assignment's part.
  const hash = assignmentHash ? `#${serialiseHash(settings, { ...view, equations: "" })}&${assignmentHash}` : `#${serialiseHash(settings, view)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  handout.show(settings, location.href);
}

function applyHash() {
  const parsed = parseHash(location.hash);
  const present = parseView(location.hash);
  const before = settings;
  settings = parsed.settings;
  view = present.view;
  fillControls();
  applyHide(view.hide, KEYS);
  if (view.exercise) exercises.open(view.exercise, { code: view.code });
  projector.show(view.view);
  showLayout();
  tour.show(view.tour);
  lessons.show(view.lesson);
  derivation.show(view.derive);
  showMessages([...parsed.messages, ...present.messages, ...assigned.notes.splice(0)], "error"); // the link's notes once
  writeHash();
  configure(before ? KEYS.filter((key) => before[key] !== settings[key]) : KEYS);
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
    // A count the new data set allows stays; another (the digits' 10 on the spiral) takes the default.
    const [low, high] = CLASS_RANGE[settings.dataset];
    const kept = settings.classes >= low && settings.classes <= high;
    settings.classes = fitClasses(settings.dataset, kept ? settings.classes : FIELDS.classes.default);
    fillClasses();
    controls.classes.value = String(settings.classes);
  }
  input.value = String(settings[key]);
  showMessages([]);
  writeHash();
  configure(key === "dataset" ? ["dataset", "classes"] : [key]);
}

// --- requests to the worker -----------------------------------------------------------------------

// Send the settings to pynn. A change of live settings (pynn/page/settings.py: lr, batch, wd) goes on
// training the same net; any other change makes a new net, so playing stops until Play is pressed.
function configure(changed = KEYS) {
  if (!changed.every((key) => FIELDS[key].live)) setPlaying(false);
  const ticket = ++asked;
  call("configure", { settings }, { replace: true })
    .then((result) => took(result, ticket))
    .catch((error) => refused(error, "pynn refused the setup"));
}

// The tour's "Set it up and play": these settings and view, a new net from the seed at epoch 0
// (configure's when it makes one, else a reset: a change of live settings alone keeps the net), then
// Play. Nothing waits past the answer: a later call that sets up data or a net cancels the Play.
function startFresh(values, shown) {
  setPlaying(false);
  showMessages([]);
  settings = { ...defaults(), ...values }; // a step names the settings it is about; the rest, defaults
  view = { ...view, ...shown };
  fillControls();
  writeHash();
  const ticket = ++asked;
  bridge
    .call("configure", { settings }, { replace: true })
    .then((result) => (result.fresh ? result : call("reset")))
    .then((result) => {
      if (ticket !== asked) return;
      took(result, ticket);
      setPlaying(!failed && !buttons.play.disabled);
    })
    .catch((error) => refused(error, "pynn refused the setup"));
}

function setPlaying(value) {
  playing = value;
  buttons.play.textContent = playing ? "Pause" : "Play";
  buttons.play.setAttribute("aria-pressed", String(playing));
  if (playing) loop();
}

function updateButtons() {
  const usable = configured && !failed;
  for (const button of [buttons.play, buttons.step, buttons.stepOne, buttons.reset]) button.disabled = !usable;
}

// Train while `playing`: one Session.run per chunk, its size and the wait after it set by the speed
// control (training/speed.js). A chunk already asked for when the user pauses still arrives and is shown.
async function loop() {
  if (looping) return;
  looping = true;
  try {
    while (playing && !failed) {
      const pace = paceOf(speed.value);
      const started = performance.now();
      const result = await call("run", { ...pace.request, ...wanted() });
      showRun(result, pace.rate !== null && pace.rate <= FOLLOW_RATE);
      const rest = pace.everyMs - (performance.now() - started);
      if (playing && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  } catch (error) {
    setPlaying(false);
    refused(error, "pynn refused to train");
  } finally {
    looping = false;
  }
}

// What the open panels want to see after the next chunk (Session.run's `also`): they come back
// with it, one round trip per chunk.
function wanted(now = false) {
  const also = Object.assign({}, ...[...insidePanels, ...dataPanels].map((panel) => panel.wants?.(now) ?? {}));
  return Object.keys(also).length ? { also } : {};
}

// Train once, outside the play loop (Step: to the end of the epoch; Step one: one SGD update).
function runOnce(request) {
  setPlaying(false);
  call("run", { ...request, ...wanted(true) })
    .then((result) => showRun(result, request.updates !== undefined))
    .catch((error) => refused(error, "pynn refused to train"));
}

function refused(error, what) {
  if (error.kind === "stopped" || error.kind === "superseded") return;
  if (error.kind === "invalid") showMessages([`${what}: ${error.message}`], "error");
  else showMessages([`Something went wrong in Python: ${error.message}`], "error");
}

// --- answers from the worker --------------------------------------------------------------------

function loadingMessage(message) {
  switch (message.type) {
    case MESSAGE.status:
      loading[message.step] = message.state;
      showLoading();
      break;
    case MESSAGE.bytes:
      showBytes(message);
      preview.bytes(message);
      break;
    case MESSAGE.ready:
      hideBytes(); // everything has arrived, whatever the count says
      for (const step of STEPS) loading[step] = "done";
      showLoading();
      // Where the start-up time went, for bench/browser.py (ms since the worker started).
      statusLine.dataset.runtimeMs = String(Math.round(message.timings.runtime));
      statusLine.dataset.pynnMs = String(Math.round(message.timings.pynn));
      statusLine.dataset.snapshot = String(message.timings.snapshot);
      statusLine.dataset.workerMs = String(Math.round(message.timings.origin - performance.timeOrigin)); // since navigation
      for (const step of ["python", "made"]) {
        if (message.timings[step] !== undefined) statusLine.dataset[`${step}Ms`] = String(Math.round(message.timings[step]));
      }
      exercises.pageReady();
      derivation.pageReady();
      break;
    case MESSAGE.kept: // the next visit restores Python with numpy and pynn imported (web/start/libsnapshot.js)
      statusLine.dataset.kept = "true";
      break;
    case MESSAGE.failed:
      failed = true;
      hideBytes();
      preview.end();
      setStatus(`Failed to load ${message.step}: ${message.message}`, "failed");
      showMessages([`Could not start Python (${message.step}): ${message.message}`], "error");
      buttons.restart.hidden = false;
      updateButtons();
      break;
  }
}

// A Session answer that sets up data or a net (configure, reset, an edit of the points, a CSV, a
// model file). `fresh`: a new net (the curves start again); false: the same net goes on (after an
// edit of the points, or a live change of the optimiser, which the chart marks). The settings in
// it are shown unless a later such call is on its way.
function took(result, ticket = ++asked) {
  if (ticket === asked && result.settings) {
    settings = result.settings;
    fillControls();
    writeHash();
  }
  if (result.fresh === false && result.changed) {
    stepper.settingsChanged(result.changed);
    if (result.changed.length) {
      curves.mark(result.at, result.changed.map((key) => `${key} ${result.settings[key]}`).join(", "));
      requestPaint();
    }
    return;
  }
  if (result.fresh) {
    preview.end();
    curves.clear();
    configured = true;
    updateButtons();
    if (!statusLine.classList.contains("ready")) {
      setStatus("Ready", "ready");
      statusLine.dataset.readyMs = String(Math.round(performance.now())); // since navigation
      keepForOffline({ notice: $("update"), reload: $("update-reload") });
    }
  }
  showLastStep({});
  showData(result);
  showShape(result);
  takeResult({ ...result, type: result.fresh ? "configured" : "edited" });
}

// `follow`: slow enough to follow each update (Step one, or at most FOLLOW_RATE updates a second):
// the examples the last update used are ringed on the plane, their loss before → after beside it.
function showRun(result, follow = false) {
  if (result.diverged) setPlaying(false);
  showLastStep(follow ? result : {});
  takeResult({ ...result, type: "progress" });
}

function showLastStep({ last_index: index, last_loss_before: before, last_loss_after: after }) {
  boundary.setLast(index);
  boundary.canvas.dataset.last = index ? Array.from(index).join(",") : "";
  const box = $("last-step");
  if (!index) {
    box.textContent = "";
    return;
  }
  const which = index.length === 1
    ? `Example #${index[0]} (class ${boundary.data.trainY[index[0]]}), ringed: loss`
    : `The ${index.length} ringed examples: mean loss`;
  box.textContent = `${which} ${fixedWidth(before, 3)} → ${fixedWidth(after, 3)}`;
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

function takeResult(message) {
  if (message.heapBytes) statusLine.dataset.heapBytes = String(message.heapBytes); // for soak tests
  curves.add(message.at, {
    trainMeanLoss: message.train_mean_loss,
    testMeanLoss: message.test_mean_loss,
    trainAccuracy: message.train_accuracy,
    testAccuracy: message.test_accuracy,
  });
  if (message.grid_size) boundary.setGrid(message.grid_size, message.grid_class, message.grid_prob); // none for the digits
  gridPaints += 1;
  if (message.paused_by_code) showMessages([message.diverged], "error"); // divergence: DivergedState
  showReadouts(message);
  requestPaint();
  for (const panel of insidePanels) panel.update(message);
  for (const panel of dataPanels) panel.update(message);
  for (const panel of teachPanels) panel.update(message);
}

function showReadouts({ epoch, updates }) {
  const last = curves.length - 1;
  readouts.epoch.textContent = epoch < 1e5 ? String(epoch) : compactCount(epoch);
  readouts.updates.textContent = compactCount(updates);
  readouts.updates.dataset.count = String(updates); // the exact count, for the tests and the tooltip
  readouts.updates.parentElement.title = `${updates.toLocaleString("en")} SGD updates since the net was made`;
  readouts.trainLoss.textContent = fixedWidth(curves.trainMeanLoss[last], 4);
  readouts.testLoss.textContent = fixedWidth(curves.testMeanLoss[last], 4);
  readouts.trainAcc.textContent = fixedWidth(curves.trainAccuracy[last], 3);
  readouts.testAcc.textContent = fixedWidth(curves.testAccuracy[last], 3);
}

function showClassKey(classes) {
  const items = [];
  for (let c = 0; c < classes; c++) {
    const item = el("span");
    item.append(markerIcon(c), `class ${c}`);
    items.push(item);
  }
  $("classes-key").replaceChildren(...items);
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

// The net's shape D-H-C and parameter count, as pynn reports them with a fresh net.
function showShape({ shape, parameters, dataset }) {
  const [inputs, hidden, classes] = shape;
  const power = [...String(inputs)].map((digit) => SUPERSCRIPT[digit]).join("");
  const image = TABLE.kinds[dataset].image; // rows × columns of pixels, or null for points of the plane
  const space = image ? `ℝ${power} (${image[0]}×${image[1]} pixels)` : `ℝ${power}`;
  $("shape").textContent =
    `x ∈ ${space} → ${hidden} hidden (ReLU) → ${classes} classes (softmax) · ${parameters.toLocaleString("en")} parameters`;
}

function workerFailed(reason) {
  failed = true;
  setPlaying(false);
  updateButtons();
  setStatus(`Python stopped: ${reason}`, "failed");
  showMessages([`The Python worker stopped (${reason}). Press Restart to start it again with the same setup.`], "error");
  buttons.restart.hidden = false;
}

function restart() {
  failed = false;
  configured = false;
  updateButtons();
  buttons.restart.hidden = true;
  for (const step of STEPS) delete loading[step];
  showMessages([]);
  setStatus("Loading…");
  bridge.start();
  yourCode = false;
  exercises.trainingRestarted();
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
    $("chart-note").textContent = chart.window > 1
      ? `Bold: mean of the last ${chart.window} (moving average); faint: each.` : "";
    boundary.canvas.dataset.paints = String(gridPaints);
  });
}

// --- start ----------------------------------------------------------------------------------------

// The settings' controls and the buttons: what each change or click asks of pynn.
function wireControls() {
  for (const key of KEYS) { // a choice (the data set, init) takes its options from the table
    if (FIELDS[key].choices && !controls[key].options.length) {
      controls[key].replaceChildren(...FIELDS[key].choices.map((value) => Object.assign(el("option", "", value), { value })));
    }
  }
  for (const key of KEYS) {
    controls[key].addEventListener("change", () => controlChanged(key));
    controls[key].addEventListener("input", () => controls[key].classList.remove("bad"));
  }
  for (const key of KEYS) {
    const range = document.getElementById(`${key}-range`);
    if (range) range.textContent = `${FIELDS[key].min}–${FIELDS[key].max}`;
  }
  buttons.play.addEventListener("click", () => setPlaying(!playing));
  buttons.step.addEventListener("click", () => runOnce({ epochs: 1 }));
  buttons.stepOne.addEventListener("click", () => runOnce({ updates: 1 }));
  buttons.reset.addEventListener("click", () => {
    setPlaying(false);
    showMessages([]);
    const ticket = ++asked;
    call("reset")
      .then((result) => took(result, ticket))
      .catch((error) => refused(error, "pynn refused to reset"));
  });
  speed.max = String(PACES.length - 1);
  speed.addEventListener("input", showSpeed);
  showSpeed();
  buttons.restart.addEventListener("click", restart);
  $("message-close").addEventListener("click", () => showMessages([]));
}

function showSpeed() {
  const text = paceLabel(speed.value);
  $("speed-value").textContent = text;
  speed.setAttribute("aria-valuetext", text);
}

// The page follows its hash and its size; end-to-end tests of worker faults get a way to stop the
// worker as if it had crashed.
function watchPage() {
  window.addEventListener("hashchange", () => {
    const next = ASSIGNMENT.parse(location.hash).assignment;
    if ((next.given.length ? ASSIGNMENT.serialise(next) : "") !== assignmentHash) location.reload(); // another assignment: the page is made for it
    else applyHash();
  });
  new ResizeObserver(requestPaint).observe(boundary.canvas);
  new ResizeObserver(requestPaint).observe(chart.canvas);
  globalThis.pynnTest = Object.freeze({ terminateWorker: () => bridge.kill("the worker was terminated") });
}

// The page's parts wired in order (each function above names its part), then Python started and
// the hash's setup shown: the build-time preview until Python's first answer.
function main() {
  ({ FIELDS, defaults, KEYS, CLASS_RANGE, VIEW_FIELDS, applies, fitClasses, parseHash, parseValue, parseView, serialiseHash } = makeState(TABLE));
  findTrainingView();
  makeWorkers();
  wireInside();
  page = pageForPanels();
  wireData();
  readAssignment();
  wireExercises();
  wireTeaching();
  wireControls();
  watchPage();
  applyPalette();
  installShortcuts();
  showLoading();
  bridge.start();
  applyHash();
  preview.draw(settings);
}

main();
