// The page's texts in English, by id (docs/translating.md): a JSON object, a plural as
// [singular, plural]. index.html's own texts stay in index.html (data-t="id"); an id lives in one
// place. tools/i18n.py reads this table into the catalogues' template.
export default Object.freeze({
 "derive-panel.check-failed": "pynn could not check it: {error}",
 "derive-panel.close": "Close",
 "derive-panel.failed": "The derivation could not start: {error}",
 "derive-panel.starting": "Starting Python for the derivation…",
 "lang.menu": "Language",
 "lesson-panel.assigned": " — assigned",
 "lesson-panel.assigned-count": " ({n} assigned)",
 "lesson-panel.assigned-list": "Lessons in this assignment (your predictions are handed in): ",
 "lesson-panel.close": "Close the lesson",
 "lesson-panel.diverged": "Stopped at epoch {epoch}: diverged.",
 "lesson-panel.link": "link to this setup",
 "lesson-panel.pick": "Pick a prediction to run the lesson.",
 "lesson-panel.predict": "Your prediction, before you run it",
 "lesson-panel.ran": "Ran {epochs} epochs, {updates} updates.",
 "lesson-panel.run": "Run {epochs} epochs",
 "lesson-panel.run-failed": "The run did not finish: {error}",
 "lesson-panel.running": "Running {epochs} epochs from a fresh net…",
 "lesson-panel.set-up": "Set it up",
 "lesson-panel.set-up-failed": "The setup did not work: {error}",
 "lesson-panel.set-up-help": "A fresh net from the lesson's setup and seed",
 "lesson-panel.then-try": "Then try: ",
 "lesson-panel.title": "Lesson {index}/{count}: {title}",
 "print.worksheet-name": "Name:",
 "print.worksheet-showed": "What the run showed:",
 "print.worksheet-why": "Why do you think so?"
});
