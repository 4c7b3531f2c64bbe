"""The page's languages (issue 36): the menu, lang= in the hash, switching without a reload, and the
tests' pseudo-language (build.py --pseudo: every text accented, bracketed and 40 % longer), in which
no view may show plain English: a text that does not come from the lookup shows itself there.

The site of this module is the pseudo build (every language of the page table and en-XA)."""
from __future__ import annotations

import json
import re
import time

import pytest

from pynn.page import settings, text
from pynn.page.lessons import LESSONS
from pynn.page.text import ENGLISH

PSEUDO = "en-XA"
READY_MS = 60_000
CHECKER_MS = 120_000
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.1&batch=1&wd=0&seed=1"


@pytest.fixture(scope="module")
def site_url(pseudo_site_url):
    return pseudo_site_url


def names() -> list[str]:
    """The names the page table gives things (settings, data sets, exercises, lessons, panels, steps,
    choices, code flags): ids a text may quote, never translated."""
    table = settings.table()
    found: set[str] = set()
    stack = [{key: value for key, value in table.items() if key != "texts"}, [lesson.name for lesson in LESSONS]]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(key for key in item if isinstance(key, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and re.fullmatch(r"[A-Za-z0-9_.-]+", item) and item not in ENGLISH:
            found.add(item)
    return sorted(found)


# Every visible text node and accessible attribute of the page, and the words in it that are plain
# English: two or more ASCII letters with an unaccented vowel (the pseudo-language accents every
# a e i o u y). Left out by rule: maths (KaTeX; a word applied to something, `ReLU(`, `h1[y]`,
# signed or divided by, `−log`, `d/du`; the maths' function names), identifiers (with a digit, `_`, `.` or `-`: s0,
# yoh_j, a file's name, a mistake's id), code (code, pre, the editor), names (`translate="no"`:
# pynn, Pyodide; a name the page table gives: a setting, a data set, an exercise; what the test
# typed: a student's name), what the user gave quoted back ("abc"), the months and days Intl writes
# for the language, and the language menu, whose names are each in its own language.
ENGLISH_JS = """
([names, kept]) => {
  const known = new Set(names);
  const MATHS = ["log", "exp", "max", "min", "sum", "mean", "softmax", "ReLU", "argmax", "sqrt", "tanh"];
  for (const month of Array.from({ length: 12 }, (_, i) => new Date(2026, i, 3))) {
    for (const style of ["short", "long"]) {
      known.add(month.toLocaleDateString(document.documentElement.lang, { month: style }));
      known.add(month.toLocaleDateString(document.documentElement.lang, { weekday: style }));
    }
  }
  const skip = "code, pre, kbd, samp, script, style, .katex, .katex-display, math, .cm-editor, textarea, canvas, "
    + "[translate=no], [data-testid=language]" + kept;
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const plain = (text) => {
    const prose = text.replace(/"[^"]*"|“[^”]*”/g, " ");
    return [...prose.matchAll(/[A-Za-z][A-Za-z0-9_.'’-]*[A-Za-z0-9_]|[A-Za-z]/g)].filter(({ 0: word, index }) => {
      const before = prose[index - 1] ?? " ", after = prose[index + word.length] ?? " ";
      const maths = "([".includes(after) || "−-·∂/".includes(before) || MATHS.includes(word);
      const identifier = /[0-9_.-]/.test(word);
      return word.length > 1 && /[aeiouyAEIOUY]/.test(word) && !known.has(word) && !maths && !identifier;
    });
  };
  const where = (el) => {
    const marked = el.closest("[data-testid], [id]");
    return marked ? (marked.dataset.testid || `#${marked.id}`) : el.tagName.toLowerCase();
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !shown(el)) continue;
    if (plain(node.textContent).length) found.push(`${where(el)}: ${JSON.stringify(node.textContent.trim().slice(0, 160))}`);
  }
  for (const el of document.querySelectorAll("[aria-label], [alt], [title], [placeholder]")) {
    if (el.closest(skip) || !shown(el)) continue;
    for (const name of ["aria-label", "alt", "title", "placeholder"]) {
      const value = el.getAttribute(name);
      if (value && plain(value).length) found.push(`${where(el)} [${name}]: ${JSON.stringify(value.slice(0, 160))}`);
    }
  }
  return found;
}
"""


class English:
    """What the pages of one test showed in plain English, by view."""

    def __init__(self, page, typed: tuple[str, ...] = ()):
        self.page = page
        self.names = [*names(), *typed]
        self.found: dict[str, list[str]] = {}

    def look(self, view: str, kept: str = "") -> None:
        """What `view` shows in plain English; `kept`: selectors of what may stay as it was said (a
        judgement shown before a switch of language, until the next check)."""
        self.page.wait_for_timeout(300)  # what the last action redraws
        found = self.page.evaluate(ENGLISH_JS, [self.names, f", {kept}" if kept else ""])
        if found:
            self.found[view] = found

    def check(self) -> None:
        assert not self.found, "plain English in the pseudo-language:\n" + "\n".join(
            f"{view}:\n  " + "\n  ".join(lines) for view, lines in self.found.items())


def open_page(page, site_url: str, hash_: str = "") -> None:
    """Open the page at `hash_` and wait until Python has drawn the first net (whatever the language)."""
    page.goto("about:blank")  # a fresh page, not the same one following its hash
    page.goto(f"{site_url}#{hash_}")
    page.wait_for_selector('[data-testid="status"].ready', timeout=READY_MS)


def catalogue(page, site_url: str, code: str) -> dict:
    """The compiled catalogue the page reads for `code` (dist/locale/<code>.json)."""
    return page.request.get(f"{site_url}locale/{code}.json").json()


def test_the_menu_lists_every_language_named_in_itself(page, site_url):
    open_page(page, site_url)
    menu = page.locator('[data-testid="language"]')
    options = menu.locator("option")
    listed = {options.nth(i).get_attribute("value"): options.nth(i).text_content() for i in range(options.count())}
    names_of = page.evaluate("async () => (await import('./settings.js')).default.languages")
    assert list(listed) == [*settings.LANGUAGES, PSEUDO] and listed == names_of
    assert {code: listed[code] for code in settings.LANGUAGES} == settings.LANGUAGES
    assert [options.nth(i).get_attribute("lang") for i in range(options.count())] == list(listed)
    # English is the browser's here (Playwright's en-US): no catalogue fetched, no lang= written
    assert menu.input_value() == "en" and page.evaluate("document.documentElement.lang") == "en"
    assert "lang=" not in page.evaluate("location.hash")


def test_lang_in_the_hash_wins_over_the_browser_and_is_kept_in_the_share_link(page, site_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, site_url, f"{SPIRAL}&lang={PSEUDO}")
    texts = catalogue(page, site_url, PSEUDO)["messages"]
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [PSEUDO, "ltr"]
    assert page.locator('[data-testid="language"]').input_value() == PSEUDO
    assert page.locator('[data-testid="tour-button"]').text_content().strip() == texts["page.tour"]
    page.locator('[data-testid="copy-link"]').click()
    link = page.locator('[data-testid="copy-link"]').get_attribute("data-link")
    assert link.endswith(f"&lang={PSEUDO}"), link
    assert page.evaluate("navigator.clipboard.readText()") == link
    # the teacher's form can carry a language for the class
    open_page(page, site_url, "view=teacher")
    page.locator('[data-testid="assign-lang"]').select_option("es")
    assert "&lang=es&" in page.locator('[data-testid="assign-link"]').input_value()
    # an unknown language: a message naming the known ones, and the browser's language
    open_page(page, site_url, f"{SPIRAL}&lang=xx")
    message = page.locator('[data-testid="message"]').text_content()
    assert '"xx"' in message and ", ".join([*settings.LANGUAGES, PSEUDO]) in message
    assert page.evaluate("document.documentElement.lang") == "en"


def test_switching_keeps_the_training_the_code_and_the_progress_without_a_reload(page, site_url, e2e_tools):
    ui = e2e_tools.Ui(page)
    open_page(page, site_url, f"{SPIRAL}&exercise=relu")
    page.evaluate("window.__sameDocument = true")
    ui.open_exercise("relu", CHECKER_MS)
    code = "import numpy as np\n\ndef relu(s):\n    return np.maximum(s, 0)\n"
    ui.set_code(code)
    status, _ = ui.press_check(CHECKER_MS)
    assert status == "pass"
    ui.click("play")
    ui.wait_epoch("e >= 3", timeout_ms=60_000)
    ui.click("play")
    page.wait_for_timeout(500)
    epoch, loss = ui.epoch(), ui.text("train-loss")
    progress = ui.text("exercise-progress")

    page.locator('[data-testid="language"]').select_option(PSEUDO)
    texts = catalogue(page, site_url, PSEUDO)["messages"]
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=PSEUDO)
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert ui.hash_params()["lang"] == PSEUDO and ui.hash_params()["exercise"] == "relu"
    assert ui.epoch() == epoch and ui.text("train-loss") == loss  # the same net, still trained
    assert page.locator('[data-testid="tour-button"]').text_content().strip() == texts["page.tour"]
    said = texts["exercise-panel.progress"].replace("{passed}", "1").replace("{count}", "6")
    page.wait_for_function("(text) => document.querySelector('[data-testid=exercise-progress]').textContent === text", arg=said)
    assert progress == "1 of 6 passed"  # said again, in the new language
    page.wait_for_function("() => document.querySelector('.exercise-title')?.textContent.includes('[')")  # the catalogue again
    english = English(page)
    english.look("the page switched to the pseudo-language", kept='[data-testid="exercise-result"]')
    english.check()
    lines = page.locator('[data-testid="exercise-editor"] .cm-line').evaluate_all("(lines) => lines.map((l) => l.textContent)")
    assert "\n".join(lines).strip() == code.strip()  # the student's code, as it was
    ui.click("play")  # training goes on from where it was
    ui.wait_epoch(f"e > {epoch}", timeout_ms=60_000)
    ui.click("play")
    page.locator('[data-testid="language"]').select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator('[data-testid="tour-button"]').text_content().strip() == "Tour"
    assert "lang=en" in page.evaluate("location.hash")


def test_the_pseudo_language_leaves_no_plain_english_in_the_training_view_and_inside_the_net(page, site_url, e2e_tools):
    ui = e2e_tools.Ui(page)
    english = English(page)
    open_page(page, site_url, f"{SPIRAL}&lang={PSEUDO}")
    english.look("the page as it opens")
    ui.click("play")
    ui.wait_epoch("e >= 2", timeout_ms=60_000)
    ui.click("play")
    english.look("after training")
    page.locator('[data-testid="boundary-canvas"]').click(position={"x": 200, "y": 150})
    english.look("a point pinned inside the net")
    for summary in page.locator("details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()
    english.look("every fold open")
    ui.click("gradcheck")
    page.wait_for_function("() => document.querySelector('#gradcheck-result').textContent.trim() !== ''")
    english.look("the gradient check")
    open_page(page, site_url, f"dataset=digits&lr=abc&hide=volume&lang={PSEUDO}")
    english.look("digits, and the messages of a bad link")
    english.check()


WRONG_RELU = "import numpy as np\n\ndef relu(s):\n    return np.abs(s)\n"


def derive_wrong_with_hint(page, english: English) -> None:
    """Derivation's first step: a wrong answer (its mistake named by the checker), then a hint."""
    page.locator('[data-testid="derive-open"]').click()
    page.wait_for_selector('[data-testid="derive-answer"]', timeout=CHECKER_MS)
    page.locator('[data-testid="derive-answer"]').fill("-yoh * np.log(h1)")
    page.locator('[data-testid="derive-check"]').click()
    page.wait_for_function("() => ['fail', 'error'].includes(document.querySelector('[data-testid=derive-result]')?.dataset.status)",
                           timeout=CHECKER_MS)
    page.locator('[data-testid="derive-hint"]').click()
    page.locator('[data-testid="derive-hints"] li').first.wait_for()
    english.look("a derivation step: a wrong answer and a hint")


def lesson_predict_run_explain(page, english: English) -> None:
    page.locator('[data-testid="lessons"] summary').click()
    english.look("the lessons' list")
    page.locator(f'[data-testid="lessons"] a[data-lesson="{LESSONS[0].name}"]').click()
    page.locator('[data-testid="lesson-predict"]').wait_for()
    english.look("a lesson: its question")
    page.locator('[data-testid="lesson-predict"]').get_by_role("radio").first.check()
    page.locator('[data-testid="lesson-run"]').click()
    page.locator('[data-testid="lesson-explain"]').wait_for(state="visible", timeout=CHECKER_MS)
    english.look("a lesson: run and explained")
    page.locator('[data-testid="lesson-close"]').click()


def tour_every_step(page, english: English) -> None:
    page.locator('[data-testid="tour-button"]').click()
    for step in range(1, settings.TOUR_STEPS + 1):
        page.wait_for_function("(step) => location.hash.includes(`tour=${step}`)", arg=step)
        english.look(f"the tour's step {step}")
        if step < settings.TOUR_STEPS:
            page.locator('[data-testid="tour-next"]').click()
    page.locator('[data-testid="tour-close"]').click()


def test_the_pseudo_language_leaves_no_plain_english_where_students_learn_and_hand_in(page, site_url, e2e_tools, tmp_path):
    ui = e2e_tools.Ui(page)
    english = English(page, typed=("Hw", "Ann"))
    open_page(page, site_url, f"{SPIRAL}&assign=Hw&exercises=relu,forward&lessons={LESSONS[0].name}&student_id=required&lang={PSEUDO}")
    english.look("an assignment as it opens")
    ui.open_exercise("relu", CHECKER_MS)
    english.look("an exercise")
    ui.set_code(WRONG_RELU)
    status, said = ui.press_check(CHECKER_MS)
    assert status == "fail", said
    english.look("an exercise: a wrong answer and the checker's message")
    derive_wrong_with_hint(page, english)
    page.keyboard.press("Escape")
    lesson_predict_run_explain(page, english)
    tour_every_step(page, english)
    ui.hook("handin-name").fill("Ann")
    ui.hook("handin-id").fill("ann@school")
    page.wait_for_function("() => !document.querySelector('[data-testid=handin-download]').disabled")
    english.look("the hand-in box")
    with page.expect_download() as caught:
        ui.click("handin-download")
    handin = tmp_path / "ann.json"
    caught.value.save_as(handin)
    assert json.loads(handin.read_text())["exercises"]["relu"]["status"] == "fail"  # language-neutral: codes

    open_page(page, site_url, f"view=teacher&lang={PSEUDO}")
    english.look("the teacher's page: the form")
    ui.hook("class-files").set_input_files([handin])
    page.wait_for_function("() => document.querySelector('[data-testid=class-table] tbody tr[data-student]')", timeout=240_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=class-progress]')?.checkVisibility?.()"
                           " || document.querySelector('[data-testid=class-table] td[data-status=fail]')", timeout=240_000)
    english.look("the teacher's page: the class table and the mistakes")
    english.check()


def said_before(template: str) -> str:
    """A text's words before its first placeholder: what a filled text starts with."""
    return template.split("{")[0].strip()


def test_in_spanish_a_student_learns_and_hands_in_and_the_teacher_grades_it_in_spanish(page, site_url, e2e_tools, tmp_path):
    """The issue's flows in Spanish, asserted on the Spanish of the ids (from the catalogue the page
    reads and hands to its Pythons, Python's said here by the same pynn.page.text)."""
    from pynn.page import derive, gradebook  # noqa: F401 (derive registers the derivation's texts)

    ui = e2e_tools.Ui(page)
    es = catalogue(page, site_url, "es")["messages"]
    lesson = LESSONS[0]
    open_page(page, site_url, f"{SPIRAL}&assign=Tarea&exercises=relu,forward&lessons={lesson.name}&tour=1&lang=es")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["es", "ltr"]
    # the tour's first step
    assert ui.text("tour-question") == es["tour.card.1.question"]
    assert es["tour.card.1.title"] in page.locator('[data-testid="tour"] h2').text_content()
    ui.click("tour-close")
    # a lesson: predict, run, explain
    page.locator('[data-testid="lessons"] summary').click()
    page.locator(f'[data-testid="lessons"] a[data-lesson="{lesson.name}"]').click()
    assert ui.text("lesson-question") == es[f"lesson.{lesson.name}.question"]
    page.locator('[data-testid="lesson-predict"]').get_by_label(es[f"lesson.{lesson.name}.choice.1"], exact=True).check()
    ui.click("lesson-run")
    page.locator('[data-testid="lesson-explain"]').wait_for(state="visible", timeout=CHECKER_MS)
    assert ui.text("lesson-status").startswith(said_before(es["lesson-panel.ran"]))
    text.use(catalogue(page, site_url, "es"))
    try:
        spanish_mistake = text.unfilled("exercise.relu.mistake.absolute-value")
        spanish_hint = text.say("derive.h1.hint.1")
        spanish_label = gradebook.label("relu", "absolute-value")
    finally:
        text.use(None)
    ui.click("lesson-close")
    # a wrong exercise answer: the checker's message in Spanish
    ui.open_exercise("relu", CHECKER_MS)
    # the sandbox's own words: code that defines no relu, said by the sandbox's Python
    ui.set_code("import numpy as np\n")
    status, result = ui.press_check(CHECKER_MS)
    assert status == "error" and es["running.no-function"].format(name="relu") in result, result
    ui.set_code(WRONG_RELU)
    status, result = ui.press_check(CHECKER_MS)
    assert status == "fail" and said_before(spanish_mistake) in result, result
    # a derivation step with a hint
    page.locator('[data-testid="derive-open"]').click()
    page.wait_for_selector('[data-testid="derive-answer"]', timeout=CHECKER_MS)
    page.locator('[data-testid="derive-hint"]').click()
    assert said_before(spanish_hint)[:20] in page.locator('[data-testid="derive-hints"] li').first.inner_text()
    page.keyboard.press("Escape")
    # the hand-in
    ui.hook("handin-name").fill("Ana")
    assert es["handin.download"] in ui.text("handin-download")
    with page.expect_download() as caught:
        ui.click("handin-download")
    handin = tmp_path / "ana.json"
    caught.value.save_as(handin)
    # the teacher's page, in Spanish, grades it
    open_page(page, site_url, "view=teacher&lang=es")
    assert es["class.heading"] in ui.hook("teacher-class").locator("h2").text_content()
    ui.hook("class-files").set_input_files([handin])
    cell = ui.hook("class-table").locator('td[data-exercise="relu"]')
    cell.wait_for(timeout=240_000)
    page.wait_for_function("() => document.querySelector('[data-testid=class-table] td[data-exercise=relu]')?.dataset.status === 'fail'",
                           timeout=240_000)
    label = ui.hook("class-mistakes").locator('[data-mistake="absolute-value"] .class-mistake-label')
    assert label.text_content() == spanish_label


# Every text the status line shows, in order, from the document's first parse on.
STATUS_SAID_JS = """
window.__statusSaid = [];
new MutationObserver(() => {
  const line = document.querySelector('[data-testid="status"]');
  if (line && line.textContent !== window.__statusSaid.at(-1)) window.__statusSaid.push(line.textContent);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def status_texts(es: dict) -> re.Pattern:
    """What the status line may say while Python starts and once it is ready, in the catalogue `es`:
    its loading text, its steps (the runtime by its id's text, numpy and pynn by their names), Ready."""
    step = "(?:%s|numpy|pynn) [·…✓]" % re.escape(es["start.step.runtime"])
    steps = re.escape(es["start.loading.steps"]).replace(re.escape("{steps}"), f"{step}(?:  {step})*")
    return re.compile("|".join([re.escape(es["start.loading"]), steps, re.escape(es["start.ready"])]))


def test_in_spanish_the_status_line_says_the_start_up_in_spanish_from_its_first_word(page, site_url):
    """index.html's own "Loading…" is the document's, as every text of it until the language's
    catalogue is in; from then on, every word of the status line is the language's."""
    page.add_init_script(STATUS_SAID_JS)
    open_page(page, site_url, f"{SPIRAL}&lang=es")
    es = catalogue(page, site_url, "es")["messages"]
    said = page.evaluate("window.__statusSaid")
    assert said[0] == "Loading…", said  # index.html's, before any script of the page ran
    spanish = status_texts(es)
    assert all(spanish.fullmatch(text) for text in said[1:]), said
    assert any(es["start.step.runtime"] in text for text in said), said  # the steps were shown, in Spanish
    assert said[-1] == es["start.ready"]


def test_in_spanish_a_start_that_fails_says_why_in_spanish(page, site_url, guard):
    """What the training worker's own JavaScript says (a file it could not fetch), told the page's
    language while Python starts (web/start/protocol.js's language message)."""
    held = []
    pattern = "**/numpy-*.whl.zst"
    page.context.route(pattern, lambda route: held.append(route))
    page.goto(f"{site_url}#{SPIRAL}&lang=es")
    page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=READY_MS)
    es = catalogue(page, site_url, "es")["messages"]
    started = time.monotonic()
    while not held:
        assert time.monotonic() - started < 60, "the page never asked for numpy's wheel"
        page.wait_for_timeout(100)
    held[0].abort()
    page.wait_for_selector('[data-testid="status"].failed', timeout=READY_MS)
    shown = page.locator('[data-testid="status"]').text_content()
    assert shown.startswith(said_before(es["start.failed"])), shown
    assert said_before(es["start.fetch.files"]) in shown, shown  # the worker's words
    assert "could not" not in shown and "Failed" not in shown, shown
    page.context.unroute(pattern)
    stem = "numpy"
    guard.console_errors[:] = [entry for entry in guard.console_errors if stem not in entry.lower() and "fetch" not in entry.lower()]
    guard.page_errors[:] = [entry for entry in guard.page_errors if stem not in entry.lower() and "fetch" not in entry.lower()]


def open_holding_catalogue(page, site_url: str, code: str) -> list:
    """Open the page in `code` with its catalogue's request held (not answered): returns the held
    routes once the page has asked for it (continue_() one to let it through)."""
    held = []
    page.context.route(f"**/locale/{code}.json", lambda route: held.append(route))
    page.goto(f"{site_url}#{SPIRAL}&lang={code}")
    started = time.monotonic()
    while not held:
        assert time.monotonic() - started < 60, "the page never asked for its catalogue"
        page.wait_for_timeout(100)
    return held


def test_in_spanish_a_start_that_fails_before_the_worker_hears_the_language_says_why_in_spanish(page, site_url, guard):
    """The training worker starts with the page's first script (web/boot.js), long before the page has
    read its catalogue: a start that fails then (here manifest.json is missing, the worker's first
    request) is still said in the page's language, the worker's own words sent by id (TextError)."""
    page.context.route("**/manifest.json", lambda route: route.fulfill(status=404, body="missing"))
    held = open_holding_catalogue(page, site_url, "es")
    page.wait_for_timeout(1000)  # the worker failed at its first request: long before this
    held[0].continue_()
    page.wait_for_selector('[data-testid="status"].failed', timeout=READY_MS)
    es = catalogue(page, site_url, "es")["messages"]
    shown = page.locator('[data-testid="status"]').text_content()
    assert shown.startswith(said_before(es["start.failed"])), shown
    assert said_before(es["start.fetch.files.reason"]) in shown and "manifest.json (HTTP 404)" in shown, shown
    assert "could not" not in shown, shown
    message = page.locator('[data-testid="message"]').text_content()
    assert said_before(es["start.fetch.files.reason"]) in message and "could not" not in message, message
    page.context.unroute("**/manifest.json")
    page.context.unroute("**/locale/es.json")
    guard.console_errors[:] = [entry for entry in guard.console_errors if "404" not in entry]


# The maths' function names, the same in every language (the equations' line: ReLU, softmax).
MATHS_NAMES = {"log", "exp", "max", "min", "sum", "mean", "softmax", "ReLU", "argmax", "sqrt", "tanh"}


# index.html's English words (its body's texts, names and maths left out: translate="no", code, kbd).
def index_words(site_url, page) -> set[str]:
    source = page.request.get(site_url).text()
    body = source.split("<body>", 1)[1]
    body = re.sub(r"<(script|style|code|kbd)\b[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<(\w+)\b[^>]*translate=\"no\"[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z'’]+", text)} - MATHS_NAMES


# The words of every visible text of the page (a text whose element does not show, or whose colour
# is transparent, left out; and the language menu's names, each in its own language).
VISIBLE_WORDS_JS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('[data-testid=language], [translate=no], script, style')) continue;
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    if (/^rgba\\(.*,\\s*0\\)$|^transparent$/.test(getComputedStyle(el).color)) continue;
    words.push(...(node.textContent.match(/[A-Za-z][A-Za-z'’]+/g) ?? []));
  }
  return words;
}"""


# An element's text shows: the element does, in a colour that is not transparent.
SHOWN_JS = """(el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
  && !/^rgba\\(.*,\\s*0\\)$|^transparent$/.test(getComputedStyle(el).color)"""


def test_in_spanish_the_first_paint_shows_no_english_word_until_the_catalogue_is_in(page, site_url):
    """While the Spanish catalogue is on its way, no word of index.html's English shows (its texts
    keep their place, hidden: web/boot.js marks <html> before the page's modules load, page.css hides
    them); once it is in use, the same places show Spanish. An English page is never marked."""
    english = index_words(site_url, page)
    assert {"Loading", "Tour", "Settings", "Play"} <= english
    held = open_holding_catalogue(page, site_url, "es")
    page.wait_for_timeout(300)
    shown = page.evaluate(VISIBLE_WORDS_JS)
    assert not sorted(set(shown) & english), f"English while the catalogue comes: {sorted(set(shown) & english)}"
    status = page.locator('[data-testid="status"]').bounding_box()
    assert status and status["width"] > 20, status  # its place kept: nothing moves when it is translated
    assert page.locator('[data-testid="language"]').input_value() == "es"  # the menu names it from the first
    held[0].continue_()
    page.wait_for_function("() => document.documentElement.lang === 'es' && !document.documentElement.dataset.languageComing")
    es = catalogue(page, site_url, "es")["messages"]
    assert page.locator('[data-testid="tour-button"]').text_content().strip() == es["page.tour"]
    for shown_in_spanish in ('[data-testid="tour-button"]', '[data-testid="status"]', 'legend[data-t="lab.data"]'):
        assert page.locator(shown_in_spanish).evaluate(SHOWN_JS), shown_in_spanish
    assert page.locator('legend[data-t="lab.data"]').text_content() == es["lab.data"]
    page.context.unroute("**/locale/es.json")
    # In English (the browser's, or lang=en) <html> is never marked: nothing of index.html waits.
    page.add_init_script("""new MutationObserver(() => {
      if (document.documentElement?.dataset.languageComing) window.__marked = true;
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-language-coming"] });""")
    for hash_ in (SPIRAL, f"{SPIRAL}&lang=en"):
        page.goto("about:blank")
        page.goto(f"{site_url}#{hash_}")
        page.wait_for_selector('[data-testid="language"] option', state="attached")
        assert not page.evaluate("window.__marked === true || 'languageComing' in document.documentElement.dataset"), hash_
        assert page.locator('[data-testid="tour-button"]').evaluate(SHOWN_JS), hash_


def test_in_arabic_the_page_is_right_to_left_from_the_first_paint(page, site_url, guard):
    """While the Arabic catalogue is on its way the page is laid out right to left already (web/boot.js,
    from Intl's text info), so nothing flips when it comes; a catalogue that cannot be read leaves an
    English page, left to right."""
    held = open_holding_catalogue(page, site_url, "ar")
    assert page.evaluate("() => [document.documentElement.dir, document.documentElement.lang]") == ["rtl", "en"]
    brand = page.locator("h1").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2, brand  # the name at the right already
    held.pop().continue_()
    page.wait_for_function("() => document.documentElement.lang === 'ar' && !document.documentElement.dataset.languageComing")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    assert page.locator("h1").bounding_box() == brand, "the header moved when the catalogue came"
    page.goto("about:blank")
    page.context.route("**/locale/ar.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(f"{site_url}#{SPIRAL}&lang=ar")
    page.wait_for_function("() => !document.documentElement.dataset.languageComing")
    assert page.evaluate("() => [document.documentElement.dir, document.documentElement.lang]") == ["ltr", "en"]
    page.context.unroute("**/locale/ar.json")
    guard.console_errors[:] = [entry for entry in guard.console_errors if "ar.json" not in entry and "404" not in entry]


def test_naming_the_language_the_page_speaks_already_leaves_what_it_said(page, site_url):
    """lang=en on an English page (the browser's) changes nothing: index.html's texts are not put
    back over what the page wrote since (the status line said "Loading…" again over Ready)."""
    open_page(page, site_url, SPIRAL)
    status = page.locator('[data-testid="status"]')
    ready = status.text_content()
    page.evaluate("() => { location.hash += '&lang=en'; }")
    page.wait_for_function("() => location.hash.includes('lang=en')")
    page.wait_for_timeout(300)
    assert status.text_content() == ready and "ready" in status.get_attribute("class")


CONTROLLED_JS = "() => navigator.serviceWorker.controller !== null"
KEPT_JS = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("pynn-"));
  if (names.length !== 1) return [];
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map((request) => new URL(request.url).pathname.replace(/^\\//, ""));
}"""


def test_an_english_first_visit_fetches_no_catalogue(page, site_url):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    open_page(page, site_url, SPIRAL)
    assert fetched and not [url for url in fetched if "/locale/" in url]


def test_the_language_of_a_first_visit_is_kept_and_works_offline_after(browser, site_url, guard, e2e_tools):
    context = e2e_tools.new_context(browser, site_url, guard, service_workers="allow")
    try:
        page = context.new_page()
        open_page(page, site_url, f"{SPIRAL}&lang=es")  # fetched before the service worker exists
        page.wait_for_function(CONTROLLED_JS, timeout=120_000)
        e2e_tools.wait_until(page, f"async () => {{ const kept = await ({KEPT_JS})();"
                             " return kept.includes('locale/es.json'); }",
                             timeout_ms=30_000)
        assert not [path for path in page.evaluate(KEPT_JS) if path.startswith("locale/fr")]  # only what was used
        page.close()
        context.set_offline(True)
        page = context.new_page()
        open_page(page, site_url, f"{SPIRAL}&lang=es")
        es = json.loads(page.evaluate("async () => JSON.stringify(await (await fetch('locale/es.json')).json())"))["messages"]
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.locator('[data-testid="tour-button"]').text_content().strip() == es["page.tour"]
        assert page.locator('[data-testid="message"]').text_content().strip() == ""
    finally:
        context.close()


def test_in_spanish_the_readouts_write_numbers_as_spanish_does_and_the_menus_name_their_choices(page, site_url):
    """The readouts, the inside-the-net values and the folded settings line write "0,0265" as the
    prose does; the data sets' and inits' menus show names (the option's value stays the key)."""
    open_page(page, site_url, "lang=es&dataset=spiral&lr=0.5")
    page.click('[data-testid="step"]')
    page.wait_for_function("() => document.querySelector('[data-testid=\"train-loss\"]').textContent !== '–'")
    for testid in ("train-loss", "test-loss", "train-accuracy", "test-accuracy"):
        shown = page.locator(f'[data-testid="{testid}"]').text_content()
        assert re.fullmatch(r"\d+,\d+", shown), f"{testid}: {shown}"
    chips = page.locator('[data-testid="inspect-panel"] .chip').all_text_contents()
    assert chips and all("." not in chip and "," in chip for chip in chips), chips
    options = page.locator('[data-testid="dataset"] option').evaluate_all(
        "(options) => options.map((o) => [o.value, o.textContent])")
    assert ["spiral", "espiral"] in options and ["custom", "tus puntos"] in options, options
    init = page.locator('[data-testid="init"] option').evaluate_all("(options) => options.map((o) => [o.value, o.textContent])")
    assert ["zero", "cero"] in init, init
    assert "espiral" in page.locator("#settings-fold-summary").text_content()
    assert "0,5" in page.locator("#settings-fold-summary").text_content()
