// Wiring: the page's parts, made in order and joined; nothing else. The store (web/state.js) owns
// the page's state — the setup, the view, what is running — and writes the address; the parts
// subscribe to it and render from it. The session client (web/start/session.js) owns the calls to
// Python and hands each answer to the parts that draw it (session.parts). A part changes the page
// through the store, or through `page` (below), its one handle on the rest.
// Text from the hash, the inputs or the worker only ever reaches the page through textContent.
import TABLE from "./settings.js";
import { applyPalette } from "./dom.js";
import { BY, Store, makeState } from "./state.js";
import { sandboxMessages } from "./start/messages.js";
import { MESSAGE } from "./start/protocol.js";
import { createSandbox } from "./start/sandbox.js";
import { SessionClient } from "./start/session.js";
import { StatusLine } from "./start/status.js";
import { PlanePreview } from "./start/preview.js";
import { pageStorage } from "./start/storage.js";
import { PlaneAxes } from "./training/axes.js";
import { DivergedState } from "./training/diverged.js";
import { MessageLine } from "./training/messageline.js";
import { installPlaneKeys } from "./training/planekeys.js";
import { Player } from "./training/player.js";
import { SetupControls } from "./training/setup.js";
import { installShortcuts } from "./training/shortcuts.js";
import { Summary } from "./training/summary.js";
import { TrainingView } from "./training/view.js";
import { GradcheckPanel } from "./inside/gradcheck.js";
import { UnitsStrip } from "./inside/hiddenunits.js";
import { holdHeight } from "./inside/holdheight.js";
import { InspectPanel } from "./inside/inspect.js";
import { BackpropPanel } from "./inside/backprop.js";
import { NetworkDiagram } from "./inside/diagram.js";
import { CodePanel } from "./inside/sourcecode.js";
import { DataEditor } from "./data/dataedit.js";
import { DigitsView } from "./data/digits.js";
import { download } from "./data/files.js";
import { ModelFiles } from "./data/modelio.js";
import { Share } from "./data/share.js";
import { Derivation, derivationHandIn, storedDerivation } from "./teaching/deriveview.js";
import { createEditor } from "./teaching/editor.js";
import { ExercisesPanel } from "./teaching/exercises.js";
import { LessonPanel } from "./teaching/lessons.js";
import { Handout } from "./teaching/print.js";
import { Projector } from "./teaching/projector.js";
import { Tour } from "./teaching/tour.js";
import { Classroom, pagePython } from "./classroom/classroom.js";
import { Languages } from "./lang/language.js";
import { addEnglish, t, translate } from "./lang/text.js";

const $ = (id) => document.getElementById(id);

// The first worker was started by boot.js, before this module's imports; a restart makes a new one.
function trainingWorker() {
  const worker = globalThis.pynnBootWorker ?? null;
  delete globalThis.pynnBootWorker;
  return worker ?? new Worker(new URL("./start/worker.js", import.meta.url), { type: "module" });
}

// The owners: the store (with the classroom's assignment, read once as the page opens, in the
// address after the view), the message line, the session client, the status line, the training view.
function makeCore() {
  const state = makeState(TABLE);
  const storage = pageStorage(); // null in an iframe of another origin that may not store
  const classroom = new Classroom({ table: TABLE, state, hash: location.hash, storage });
  const store = new Store(state, { location, history, tail: classroom.hash, omit: classroom.shared });
  const messages = new MessageLine({ box: $("message"), close: $("message-close") });
  const core = { state, storage, classroom, store, messages };
  // Until Python's first answer: the data set's points as pynn drew them at build time.
  const preview = new PlanePreview({
    note: $("plane-loading"), tag: $("preview-tag"), text: $("plane-loading-text"),
    show: (data) => {
      core.view.showPoints(data);
      core.planeAxes.update({ extent: data.extent, dataset: store.settings.dataset });
      core.view.requestPaint();
    },
  });
  core.preview = preview;
  core.view = new TrainingView({ kinds: TABLE.kinds, preview });
  core.session = new SessionClient({
    store, state, timeouts: TABLE.timeouts_ms, createWorker: trainingWorker, createSandbox: () => createSandbox(),
    checkMessage: sandboxMessages(TABLE), messages, onStart: (message) => core.started(message), onStop: (reason) => core.status.stopped(reason),
  });
  core.status = new StatusLine({
    line: $("status"), restart: $("restart"), preview, messages, update: { notice: $("update"), reload: $("update-reload") },
    onRestart: () => {
      core.session.restart();
      core.exercises.trainingRestarted();
    },
  });
  core.python = pagePython((method, args) => core.session.bridge.call(method, args));
  return core;
}

// What the data and teaching panels may do to the page: call pynn (through the session client),
// hand it an answer that sets up data or a net (`took`, drawn like a configure's) or trains it
// (`progress`), say something, pause, read and change the setup and the view.
function pageFor({ store, state, session, messages }) {
  return {
    call: (method, args, options) => session.call(method, args, options),
    took: (result, ticket) => session.took(result, ticket),
    progress: (result) => session.progress(result),
    wanted: (now) => session.wanted(now), // what the open panels want to see along with an answer
    showMessages: (lines, kind, action) => messages.show(lines, kind, action),
    pause: () => store.set({ running: { playing: false } }),
    settings: () => store.settings,
    view: () => store.view,
    setView: (patch) => store.set({ view: patch }),
    serialise: (values, shown) => state.serialiseHash(values, shown),
    reset: () => $("reset").click(),
    startFresh: (values, shown) => session.startFresh(values, shown),
    table: TABLE,
    play: $("play"),
    readouts: document.querySelector(".metrics .readouts"),
  };
}

// The look inside: the equations at a spot of the plane, the hidden units, the gradient check, the code.
function insideParts({ view, session }) {
  const call = (method, args) => session.call(method, args);
  return [
    new InspectPanel({ panel: $("inspect-panel"), canvas: view.boundary.canvas, call, kinds: TABLE.kinds, names: TABLE.fields.dataset.names }),
    new UnitsStrip({ root: $("hidden-units"), call }),
    new GradcheckPanel({ button: $("gradcheck"), result: $("gradcheck-result"), call }),
    new CodePanel({ root: $("code-panel"), call }),
  ];
}

// Data: your own points, the model file, the digits; the network diagram and the backprop stepper,
// which puts its stage in the diagram's focus.
function dataParts({ view, session }, page) {
  const { canvas } = view.boundary;
  const diagram = new NetworkDiagram({
    canvas: $("network-diagram"), note: $("network-note"), caption: $("network-focus"), kinds: TABLE.kinds,
    call: (method, args) => session.call(method, args),
  });
  return [
    new DataEditor({
      canvas, picker: $("point-class"), clear: $("clear-points"), upload: $("csv-upload"), save: $("csv-download"),
      count: $("point-count"), limits: $("csv-limits"), page,
    }),
    new ModelFiles({
      exportButton: $("export-model"), importInput: $("import-model"), pictureButton: $("save-picture"),
      historyButton: $("download-history"), canvas, curves: view.curves, page,
    }),
    new DigitsView({
      pad: $("digit-pad"), clear: $("clear-pad"), probs: $("digit-probs"), preview: $("digit-preview"), mistakes: $("misclassified"), page,
    }),
    diagram,
    new BackpropPanel({ root: $("backprop-panel"), canvas, diagram, page }),
  ];
}

// Write the network yourself (the exercises, checked in the sandbox), derive the gradients, the
// lessons; the classroom's hand-in, assignment and teacher's page.
function learningParts(core, page) {
  const { store, session, storage, classroom, messages } = core;
  const training = (method, args) => session.bridge.call(method, args); // the training worker's Session
  const exercises = new ExercisesPanel({
    root: $("exercises"), call: training, sandbox: session.sandbox, createEditor,
    yourCode: { on: (sources) => session.useYourCode(sources), off: () => session.usePynnsCode() },
    badgeHost: document.querySelector(".stage .toolbar"), equations: () => store.view.equations,
    assignment: classroom.assignment, log: classroom.log, storage, showMessages: (lines, kind) => messages.show(lines, kind),
    onOpen: (name) => store.set({ view: { exercise: name, code: "" } }), // linked code is shown once, not kept in the hash
  });
  session.left = (reason) => exercises.trainingLeft(reason);
  // Derive the gradients: the catalogue from the training worker, every answer checked in the sandbox.
  const derivation = new Derivation({
    root: $("derive"), openButton: $("derive-open"), call: training, sandbox: session.sandbox, storage,
    timeoutMs: TABLE.timeouts_ms.check, onOpen: (step) => store.set({ view: { derive: step } }),
  });
  const lessons = new LessonPanel({
    root: $("lesson"), menu: $("lessons"), lessons: TABLE.lessons ?? [], page, storage,
    assigned: classroom.assignment?.lessons ?? [], onChange: () => classroom.handin.refresh(),
  });
  classroom.wire({
    page: {
      store, state: core.state, python: core.python, sandbox: session.sandbox, messages, download,
      derivation: () => derivationHandIn(storedDerivation(storage), TABLE.derive.steps),
    },
    exercises, lessons, deriving: derivation,
  });
  return { exercises, derivation, lessons };
}

// Teaching with the page: the setup's controls (with their help, sliders and present mode), the
// tour, projector mode, the axes, sharing, the screen-reader summary and the way out of
// divergence. Each panel hears every answer.
function teachingParts(core, page, lessons) {
  const { store, state, view } = core;
  core.setup = new SetupControls({ store, state, table: TABLE, messages: core.messages });
  core.tour = new Tour({
    root: $("tour"), openButton: $("tour-button"), page, hint: $("first-hint"), hintTour: $("first-hint-tour"),
    hintClose: $("first-hint-close"), tagline: $("tagline"), storage: core.storage, lessons, steps: TABLE.tour.cards, speed: $("speed"),
  });
  core.projector = new Projector({ button: $("projector"), page });
  core.planeAxes = new PlaneAxes($("plane"), TABLE.kinds);
  holdHeight($("inspect-panel"));
  installPlaneKeys(view.boundary.canvas);
  const buttons = { play: $("play"), step: $("step"), stepOne: $("step-one"), reset: $("reset") };
  return [
    core.planeAxes,
    new Share({ button: $("copy-link"), status: $("copy-status"), page }),
    new Summary($("summary"), () => store.running.playing),
    new DivergedState({ buttons, lrBox: $("lr"), page, smallest: TABLE.fields.lr.min }),
  ];
}

// What the store's changes show beyond the setup: the printed handout's setup and link; after
// the address changed (a link opened, the back button), every part of the view as it says.
function followStore(core, { exercises, derivation, lessons }) {
  const { store, classroom } = core;
  const handout = new Handout($("handout-setup"), core.state.KEYS);
  store.subscribe(({ settings, view, by }) => {
    if (settings.length || view.length || by === BY.address) handout.show(store.settings, location.href);
  });
  store.subscribe(({ by }) => {
    if (by !== BY.address) return;
    const { view } = store;
    if (view.exercise) exercises.open(view.exercise, { code: view.code });
    core.projector.show(view.view);
    classroom.showLayout(view.view);
    core.tour.show(view.tour);
    lessons.show(view.lesson);
    derivation.follow(view.derive);
  });
  core.started = (message) => {
    core.status.hear(message);
    if (message.type !== MESSAGE.ready) return;
    exercises.pageReady();
    derivation.pageReady();
  };
}

// A change of language (web/lang/language.js) keeps the page as it is: each part that wrote texts
// of its own says them again, every view follows the store again (the tour, the projector, the
// setup), and every panel drawn from the net draws it again (Python's `edited`: the same net).
function followLanguage(core, parts) {
  core.languages.onChange(() => {
    for (const part of parts) part.languageChanged?.();
    core.classroom.teacherPage?.languageChanged();
    core.store.set({}, BY.address);
    core.session.call("edited").then((result) => core.session.took(result)).catch(() => {}); // a stopped worker: nothing drawn
  });
}

// The page follows its address (another assignment in it makes the page again) and its size;
// end-to-end tests of worker faults get a way to stop the worker as if it had crashed.
function watchPage({ store, classroom, messages, session, view }) {
  window.addEventListener("hashchange", () => {
    if (classroom.isOther(location.hash)) location.reload();
    else messages.show(store.read(), "error");
  });
  view.follow();
  globalThis.pynnTest = Object.freeze({ terminateWorker: () => session.bridge.kill(t("start.bridge.terminated")) });
}

// The page's language (web/lang/language.js): the one the address and the browser choose, loaded
// before the parts draw (an English page loads nothing); Python told at each start of its worker.
async function startLanguage(core) {
  core.languages = new Languages({
    menu: $("language"), table: TABLE, store: core.store, messages: core.messages,
    python: (language) => core.session.useLanguage(language),
  });
  await core.languages.use(core.languages.wanted(core.state.parseView(location.hash).view.lang));
}

// The page's parts made in order (each function above names its part), then Python started and
// the address's setup shown: the build-time preview until Python's first answer.
async function main() {
  addEnglish(TABLE.texts);
  translate(document);
  const core = makeCore();
  await startLanguage(core);
  const page = pageFor(core);
  const inside = insideParts(core);
  const data = dataParts(core, page);
  const learning = learningParts(core, page);
  Object.assign(core, learning);
  const teaching = teachingParts(core, page, learning.lessons);
  const player = new Player({
    buttons: { play: $("play"), step: $("step"), stepOne: $("step-one"), reset: $("reset") },
    speed: $("speed"), speedValue: $("speed-value"), store: core.store, session: core.session,
  });
  core.session.parts.push(core.status, player, core.view, ...inside, ...data, ...teaching);
  followStore(core, learning);
  followLanguage(core, [core.setup, learning.exercises, learning.derivation, learning.lessons, ...core.session.parts]);
  watchPage(core);
  applyPalette();
  installShortcuts();
  core.session.start();
  core.messages.show([...core.store.read(), ...core.classroom.takeNotes()], "error"); // the link's notes once
  core.preview.draw(core.store.settings);
}

main();
