// Play, Step, Step one and Reset, and the speed: what is running, in the store (web/state.js).
// The play loop is a chain of Session.run calls (web/start/session.js): the worker only answers
// calls, one at a time and in order, so a setting changed, a reset or an inspect request made
// while training simply queues between two chunks, pausing is "do not ask again", and the speed
// control is how much each call asks for and how long the page waits before the next.
import { BY } from "../state.js";
import { t } from "../lang/text.js";
import { PACES, paceLabel, paceOf } from "./speed.js";

const FOLLOW_RATE = 30; // SGD updates a second up to which each update's example is shown

export class Player {
  // buttons: { play, step, stepOne, reset }; speed: the speed slider and speedValue its label.
  constructor({ buttons, speed, speedValue, store, session }) {
    this.buttons = buttons;
    this.speed = speed;
    this.speedValue = speedValue;
    this.store = store;
    this.session = session;
    this.looping = false; // a play loop is running (it stops once the store says it is not playing)
    buttons.play.addEventListener("click", () => store.set({ running: { playing: !store.running.playing } }));
    buttons.step.addEventListener("click", () => this.runOnce({ epochs: 1 }));
    buttons.stepOne.addEventListener("click", () => this.runOnce({ updates: 1 }));
    buttons.reset.addEventListener("click", () => this.reset());
    speed.max = String(PACES.length - 1);
    speed.addEventListener("input", () => this.showSpeed());
    this.showSpeed();
    store.subscribe(({ running }) => {
      if (running.includes("playing")) this.showPlaying();
      if (running.includes("configured") || running.includes("failed")) this.enable();
    });
  }

  showPlaying() {
    const { playing } = this.store.running;
    this.buttons.play.textContent = t(playing ? "lab.pause" : "lab.play");
    this.buttons.play.setAttribute("aria-pressed", String(playing));
    if (playing) this.loop();
  }

  // The page's language changed: its labels, again (training goes on as it was).
  languageChanged() {
    this.buttons.play.textContent = t(this.store.running.playing ? "lab.pause" : "lab.play");
    this.showSpeed();
  }

  // Usable once Python has answered a first configure, and while it runs.
  enable() {
    const { configured, failed } = this.store.running;
    const { play, step, stepOne, reset } = this.buttons;
    for (const button of [play, step, stepOne, reset]) button.disabled = !configured || failed;
  }

  // A fresh net makes the buttons usable again (after divergence too: web/training/diverged.js).
  update(message) {
    if (message.type === "configured") this.enable();
  }

  reset() {
    this.session.messages.show([]);
    this.session.reset();
  }

  showSpeed() {
    const text = paceLabel(this.speed.value);
    this.speedValue.textContent = text;
    this.speed.setAttribute("aria-valuetext", text);
  }

  // Train while playing: one Session.run per chunk, its size and the wait after it set by the speed
  // control (training/speed.js). At full speed the next chunk is asked for as soon as an answer
  // comes, before the page draws it, so the worker trains while the page draws (the worker answers
  // one call at a time, in order: a chunk is never drawn before the one asked for ahead of it).
  // A chunk already asked for when the user pauses still arrives and is shown.
  async loop() {
    if (this.looping) return;
    this.looping = true;
    const going = () => this.store.running.playing && !this.store.running.failed;
    let next = null; // the full-speed chunk asked for ahead
    try {
      while (going() || next) {
        const pace = paceOf(this.speed.value);
        const started = performance.now();
        const follow = pace.rate !== null && pace.rate <= FOLLOW_RATE;
        const result = await (next ?? this.session.ask(pace.request));
        next = going() && !result.diverged && pace.rate === null ? this.session.ask(pace.request) : null;
        this.session.progress(result, follow);
        const rest = pace.everyMs - (performance.now() - started);
        if (this.store.running.playing && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      }
    } catch (error) {
      this.store.set({ running: { playing: false } }, BY.page);
      this.session.refused(error, "start.refused.train");
    } finally {
      this.looping = false;
    }
  }

  // Train once, outside the play loop (Step: to the end of the epoch; Step one: one SGD update).
  runOnce(request) {
    this.store.set({ running: { playing: false } });
    this.session.run(request, { now: true, follow: request.updates !== undefined })
      .catch((error) => this.session.refused(error, "start.refused.train"));
  }
}
