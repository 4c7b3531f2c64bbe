"""The page's table, declared once: every key of the URL hash with its type, default and range, and
every other fact the page's JavaScript needs from Python (names, limits, file names).

This module imports only the standard library, so build.py (which runs without numpy) can load it
by path and write ``table()`` into dist/settings.js; the page parses its hash with that table
before Python has started, and ``validate`` here checks the same values again when they reach the
Session. ``python3 pynn/page/settings.py`` prints the table as JSON (the JavaScript tests read it
that way).

- ``live``: the setting changes the running optimiser (the same net and data train on with it);
  any other change makes new data and a new net at epoch 0.
- ``choices``: the values a "choice" setting takes (DATASETS for the data set, INITS for the
  initial weights).
- ``quiet``: left out of the hash while at its default (a key added after links were shared, so
  those links and the hashes the page writes stay as they were).
- ``CLASS_RANGE``: the smallest and largest number of classes each data set allows (the 2-D
  generators' names and ranges read from pynn.datasets.GENERATORS' source: ``GENERATED``).
- ``INPUTS``: the net's number of inputs D for a data set (2 for points in the plane), from
  ``IMAGES`` (the data sets of images, with their size); ``YOURS``: the data set of your own points.
  The table says of each data set what it is (``kinds``: plane or image, yours or not): the page
  asks it, and never compares a data set's name.
- ``help``: each setting's help text (what it is, what to try), shown beside its control: a
  field's, so a new setting is one row with its help. The table names it by its text id
  (``settings.help.<name>``; the code flags' reasons and the panels likewise), and ``texts`` holds
  the English of every id the table names (pynn.page.text: the page's lookup reads it).
- ``NOT_APPLICABLE``: the settings a data set ignores (points and noise, for the digits and your
  own points).
- the CSV and model file limits that pynn.page.csvdata and pynn.page.modelfile enforce and that
  the page checks before it reads a file.
- ``SLIDER_STOPS``: the values a setting's slider steps through between its range's ends.
- the exercises' order and what training with the student's code needs, and the calls the page's
  training worker answers: owned by pynn.page.exercises (ORDER), pynn.page.yourcode (REQUIRED) and
  pynn.page.calls (PAGE's names), which import numpy; ``table()`` reads them from their source
  (the build runs without numpy), and tests/test_page_table.py holds them equal to the imported values.
- ``TOUR``, ``TOUR_STEPS``, ``CACHE_PREFIX``, ``FILES`` and ``TIMEOUTS_MS``: the tour's steps
  (pynn/page/tour.py's; the table carries their cards with text ids) and their number, the start of
  every Cache Storage name of the page, the file names the build writes and the page reads, and
  how long the page waits for Python.
- ``CODE_MAX_CHARS``: the most code an exercise holds, in a link's ``code=`` or in a hand-in.
- ``ASSIGNMENT``: the keys of an assignment link (``#assign=…&exercises=…``), with
  ``parse_assignment`` and ``assignment_hash``; ``HANDIN_MAX_BYTES``, the largest hand-in file
  (pynn.page.handin).
"""
from __future__ import annotations

import ast
import json
import math
import numbers
from pathlib import Path
import re
import urllib.parse
import sys
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent

try:
    from . import text, tour
except ImportError:  # run alone by its path (`python3 pynn/page/settings.py`, the JS tests): pynn/page/ as build.py imports it
    import importlib.util

    if "pynn_page" not in sys.modules:
        _spec = importlib.util.spec_from_file_location("pynn_page", HERE / "__init__.py", submodule_search_locations=[str(HERE)])
        sys.modules["pynn_page"] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules["pynn_page"])
    from pynn_page import text, tour  # type: ignore[no-redef]

TEXT = text.register({
    "settings.not-dict": "settings must be a dict, got {type}",
    "settings.unknown": "unknown setting {name}; known: {known}",
    "settings.choice": "{name} must be one of {choices}; got {value}",
    "settings.whole": "{name} must be a whole number, got {value}",
    "settings.range": "{name} must be between {low} and {high}, got {value}",
    "settings.finite": "{name} must be a finite number, got {value}",
    "settings.range-float": "{name} must be between {low:g} and {high:g}, got {value:g}",
    "settings.classes": "{dataset} allows {low} to {high} classes, got {value}",
    "settings.url-encoding": "not valid URL encoding",
    "settings.note.encoding": "{key}: ignored, it is not valid URL encoding",
    "settings.note.title-long": "{key}: ignored, the title is longer than {limit} characters",
    "settings.note.title-control": "{key}: ignored, the title holds control characters",
    "settings.note.choice": "{key}: ignored {value}; known: {known}; using {default}",
    "settings.note.unknown": "{key}: ignored unknown {value}; known: {known}",
    "settings.note.none": "{key}: none of the known names given; using all: {default}",
})


class Field(NamedTuple):
    kind: str  # "choice", "int" or "float"
    default: Any
    low: Any = None
    high: Any = None
    live: bool = False
    choices: tuple[str, ...] = ()
    quiet: bool = False
    help: str = ""  # what the setting is and what to try (English; the page shows ``settings.help.<name>``)


def _assigned(path: Path, name: str) -> ast.expr:
    """The expression assigned to ``name`` at the top level of the module in ``path``, from its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
            return node.value
    raise LookupError(f"{path.relative_to(HERE.parent.parent)} declares no {name}")


def generators() -> dict[str, tuple[int, int]]:
    """The 2-D data sets of pynn.datasets.GENERATORS and the classes each allows, read from its source
    (it imports numpy; the build runs without it): each entry ``"name": Generator(function, (low, high))``."""
    entries = _assigned(HERE.parent / "datasets.py", "GENERATORS")
    ranges = {}
    for key, entry in zip(entries.keys, entries.values):
        classes = [*entry.args[1:], *(keyword.value for keyword in entry.keywords if keyword.arg == "classes")]
        ranges[ast.literal_eval(key)] = tuple(ast.literal_eval(classes[0]))
    return ranges


GENERATED = generators()
"""The 2-D data sets pynn generates, with the smallest and largest number of classes each allows."""

DATASETS = (*GENERATED, "digits", "custom")
"""Every value of the dataset setting: the 2-D generators, the 8×8 digits and your own points."""

INITS = ("he", "small", "zero", "large")
"""Every value of the init setting: pynn.model.INITS (tests/test_settings.py holds them equal)."""

FIELDS: dict[str, Field] = {
    "dataset": Field("choice", "spiral", choices=DATASETS, help=(
        "The points to classify. Spiral needs curved boundaries; xor and moons are two classes; digits are 8×8 "
        "images. Try: spiral, then circles.")),
    "classes": Field("int", 3, 2, 10, help=(  # 10 only for the digits: CLASS_RANGE narrows it per data set
        "How many classes (colours) the generator makes. Try: a 5-class spiral needs more hidden units.")),
    "points": Field("int", 300, 20, 2000, help=(
        "How many points the generator makes, training and test together. Try: 40 points to see overfitting.")),
    "noise": Field("float", 0.1, 0.0, 1.0, help=(
        "How far points scatter from the clean pattern. Try: 0.5, and watch the test accuracy drop below the "
        "training one.")),
    "split": Field("float", 0.8, 0.1, 0.95, help=(
        "Fraction of the points the net trains on; the rest (hollow markers) test it. Try: 0.3 — less to learn "
        "from.")),
    "hidden": Field("int", 32, 1, 512, help=(
        "Hidden units H: each is one ReLU, one bend of the boundary. Try: H = 1 on the spiral, then 32.")),
    "init": Field("choice", "he", choices=INITS, quiet=True, help=(
        "How the weights start: he (random, scaled to the layer's size), small (tiny random), zero (all 0) or "
        "large. Try: zero — every hidden unit stays the same.")),
    "lr": Field("float", 0.1, 0.0001, 100.0, live=True, help=(
        "Learning rate: how far each SGD step moves the weights along the gradient. Try: 10 — too large, the "
        "loss jumps or diverges.")),
    "batch": Field("int", 1, 1, 2000, live=True, help=(
        "Examples per SGD step; 1 is pure SGD (one example per update). Try: 1 against 32 — noisy curves against "
        "smooth ones.")),
    "wd": Field("float", 0.0, 0.0, 1.0, live=True, help=(
        "L2 weight decay λ pulls every weight towards 0 each step, for smoother boundaries. Try: 0.01 on 40 noisy "
        "points.")),
    "seed": Field("int", 1, 0, 2**31 - 1, help=(
        "Seeds the data and the first weights: the same seed gives the same run. Try: another seed, same setup.")),
}
"""The settings, in the order the page shows them and writes them into its hash, each with its help."""

text.register({f"settings.help.{name}": field.help for name, field in FIELDS.items()})

CHOICE_NAMES: dict[str, dict[str, str]] = {
    "dataset": {"spiral": "spiral", "circles": "circles", "moons": "moons", "xor": "xor", "blobs": "blobs",
                "digits": "digits", "custom": "your points"},
    "init": {"he": "he", "small": "small", "zero": "zero", "large": "large"},
}
"""What the page's menus show for each value of a choice setting (English; the page shows
``settings.choice.<setting>.<value>``, the value itself staying what the address and pynn read).
Every choice has its name (tests/test_settings.py)."""

text.register({f"settings.choice.{name}.{value}": shown for name, names in CHOICE_NAMES.items()
               for value, shown in names.items()})

CSV_MAX_LABEL = 5
"""Labels of your own points go from 0 to this (the page's palette has 6 colours)."""

CLASS_RANGE: dict[str, tuple[int, int]] = {**GENERATED, "digits": (10, 10), "custom": (2, CSV_MAX_LABEL + 1)}

NOT_APPLICABLE: dict[str, tuple[str, ...]] = {"digits": ("points", "noise"), "custom": ("points", "noise")}
"""Settings that say nothing for a data set whose points are not generated: the page disables
their controls and leaves them out of the hash."""

IMAGES: dict[str, tuple[int, int]] = {"digits": (8, 8)}
"""The data sets whose examples are images, with their rows and columns of pixels: no plane to
point at, draw on or take a picture of (the page draws the images instead)."""

INPUTS = {name: rows * cols for name, (rows, cols) in IMAGES.items()}
"""D for the data sets that are not points in the plane (all others have D = 2)."""

YOURS = ("custom",)
"""The data sets of your own points (clicked in, uploaded, or carried by a link): the page lets you
edit them, and a link it shares carries them."""

CSV_MAX_ROWS = 5_000
CSV_MAX_ABS = 1e6
CSV_MAX_BYTES = 1_000_000
MODEL_MAX_BYTES = 5_000_000

JSON_MAX_BYTES = 5_000_000
"""The largest JSON file the page parses at all (a model file; a hand-in has its own, smaller limit)."""
JSON_MAX_DEPTH = 64
"""The deepest nesting of lists and objects a JSON file may have to be parsed (pynn.page.jsonfile):
pynn's own files nest four levels; Python's parser recurses per level and, in the browser's worker,
runs out of stack long before its own guard fires."""

CODE_MAX_CHARS = 20_000
"""Characters of code one exercise may hold: in a link's ``code=`` and in a hand-in."""
HANDIN_MAX_BYTES = 200_000
"""The largest hand-in file the class view reads (pynn.page.handin.read)."""
CLASS_MAX_BYTES = 20_000_000
CLASS_MAX_HANDINS = 1_000
"""The largest class file the class view reads (pynn.page.gradebook.read_class), and the most
hand-ins one may hold."""

CODE_FLAGS: dict[str, str] = {
    "imports-pynn": "uses pynn, the checker's own package",
    "imports-js": "uses js: the browser itself",
    "imports-pyodide": "uses pyodide: the Python runtime's own package",
    "imports-sys": "uses sys: the interpreter's internals",
    "imports-gc": "uses gc: every object in memory",
    "imports-importlib": "uses importlib: loads modules by name",
    "imports-builtins": "uses builtins: Python's own functions",
    "imports-other": "imports a module other than numpy and math",
    "eval": "runs text as code (eval, exec or compile)",
    "dunder": "reaches Python's machinery through a __dunder__ name (__globals__, __class__, __import__, …)",
    "reflection": "reaches attributes by a name computed at run time (getattr, setattr, globals, vars, …)",
    "patches-module": "changes numpy or math (assigns to one of their attributes)",
    "unreadable": "nested too deeply to be looked at",
}
"""What a static look at a piece of a student's code may find (pynn.page.codeflags), by code, with
the reason the teacher's table and the student's Check show (``settings.code-flag.<code>``). A flag
never changes a grade."""

text.register({f"settings.code-flag.{code}": reason for code, reason in CODE_FLAGS.items()})

SANDBOX_ANSWER: dict[str, int] = {
    "max_outputs": 64,  # values in one answer: one per call the judge asked for
    "max_elements": 100_000,  # numbers in one array; a larger one comes as its shape and dtype alone
    "max_items": 16,  # keys of a dict, items of a tuple or list
    "max_dims": 8,  # dimensions of an array's shape
    "max_text": 4_000,  # characters of an exception's message
    "max_name": 100,  # characters of a type's name, a dict's key
}
"""The limits of what the sandbox may answer when it has run a student's code (pynn.page.wire reads
it; web/start/messages.js checks the same before the page passes it on)."""


PANELS: dict[str, str] = {
    "plane": "the plane, Play and the curves",
    "exercises": "the exercises",
    "diagram": "the network diagram",
    "stepper": "the backprop stepper",
    "inside": "inside the net (pointing at the plane)",
    "code": "pynn's code",
    "units": "the hidden units",
    "gradcheck": "the gradient check",
}
"""The panels an assignment may show (``panels=``), each with what it is (``settings.panel.<name>``)."""

text.register({f"settings.panel.{name}": what for name, what in PANELS.items()})


class AssignKey(NamedTuple):
    kind: str  # "text", "choice" or "list"
    default: Any
    choices: tuple[str, ...] = ()
    max_chars: int = 0  # for "text"
    quiet: bool = False  # left out of the link while at its default (a list: empty, no names, no note)




SLIDER_STOPS: dict[str, tuple[float, ...]] = {
    "points": (40, 60, 100, 150, 200, 300, 400, 500, 750, 1000, 1500),
    "hidden": (2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64, 100, 128, 200, 256, 384),
    "lr": (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50),
    "batch": (2, 4, 8, 10, 16, 32, 50, 64, 100, 128, 256, 500, 1000),
    "wd": (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3),
}
"""The nice values a slider steps through, between its setting's low and high (which end the list)."""

SLIDER_STEPS: dict[str, float] = {"noise": 0.05, "split": 0.05}
"""The sliders that move linearly from low to high, by this step."""


CACHE_PREFIX = "pynn-"
"""The start of every Cache Storage name the page uses (the build's files, the kept snapshot): the
service worker deletes the other builds' caches by it and leaves any other site's alone."""

TAKE_OVER = "take-over"
"""The page's message to a waiting service worker (a newer build's, web/start/offline.js → web/sw.js):
take over now (the Reload button of the new-version notice)."""

FILES = {"pyodide_dir": "pyodide", "snapshot": "snapshot.gzip", "manifest": "manifest.json", "settings": "settings.js",
         "locale_dir": "locale"}
"""The file names the build writes into dist/ and the page reads: Pyodide's folder, the shipped
snapshot in it, the build's manifest, this table as an ES module, and the folder of the compiled
catalogues (<lang>.json: the page's texts and Python's, one file a language)."""

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt-BR": "Português (Brasil)",
    "zh-Hans": "简体中文",
    "ar": "العربية",
}
"""The languages the page speaks, by BCP 47 code, each named in itself: English (the texts as the
code declares them) and one catalogue each, locale/<code with _ for ->/LC_MESSAGES/pynn.po
(docs/translating.md). A new language is its catalogue and one line here."""

CATALOGUE_MAX_BYTES = 2_000_000
"""The largest compiled catalogue (dist/locale/<code>.json) the page reads."""


def view_keys(languages: dict[str, str] = LANGUAGES) -> dict[str, dict[str, Any]]:
    """The hash's keys of how the page reads, declared here (web/state.js's view reads them with its
    own): ``lang=<code>``, the page's language, one of ``languages``' codes. It wins over the
    browser's languages, and every link the page makes keeps it; left out, the browser's choose."""
    return {"lang": {"kind": "choice", "default": "", "choices": list(languages), "quiet": True}}


TIMEOUTS_MS = {"start": 60_000, "check": 5_000}
"""How long the page waits for Python to start (the training worker and the exercises' checker),
and for one exercise check before it stops the checker (an endless loop in the student's code)."""


def declared(module: str, name: str) -> Any:
    """The literal value of ``name = …`` at the top level of pynn/page/<module>, read from its
    source without importing it (the module imports numpy; the build runs without it)."""
    return ast.literal_eval(_assigned(HERE / module, name))


TOUR = tour.STEPS
"""The guided tour's steps (pynn/page/tour.py, standard library only): the page shows them."""
TOUR_STEPS = len(TOUR)
"""How many steps the guided tour has (``tour=N`` in the hash, 1 to this)."""


ASSIGNMENT: dict[str, AssignKey] = {
    "assign": AssignKey("text", "", max_chars=100, quiet=True),
    "exercises": AssignKey("list", list(declared("exercises/__init__.py", "ORDER")), tuple(declared("exercises/__init__.py", "ORDER"))),
    "solutions": AssignKey("choice", "on", ("on", "off")),
    "equations": AssignKey("choice", "shown", ("shown", "ask")),
    "panels": AssignKey("list", list(PANELS), tuple(PANELS)),
    "lessons": AssignKey("list", [], tuple(declared("lessons/__init__.py", "ORDER")), quiet=True),
    "student_id": AssignKey("choice", "optional", ("optional", "required"), quiet=True),
}
"""The keys of an assignment link: its title; which exercises, in the order given; whether "Show
solution" is offered; whether the equations are shown at once or only on request; which panels
are shown; which lessons (pynn.page.lessons) the students do, their predictions going into the
hand-in. A "list" keeps the order given (exercises, lessons) or the table's order (panels).
``lessons`` is quiet: none by default, an empty ``lessons=`` is none without a note, and a link
without lessons does not name the key (the links made before it read and write as they did).
``assign`` is quiet too (no ``assign=&`` for an untitled assignment), and ``student_id``: whether
the hand-in must carry the student's school id or e-mail (for a gradebook: Canvas, Moodle)."""


def sliders() -> dict[str, dict[str, Any]]:
    """Each slider's values (low, the stops, high) or its linear step, the ends from FIELDS."""
    stops = {name: {"values": [FIELDS[name].low, *values, FIELDS[name].high]} for name, values in SLIDER_STOPS.items()}
    steps = {name: {"min": FIELDS[name].low, "max": FIELDS[name].high, "step": step} for name, step in SLIDER_STEPS.items()}
    return {**stops, **steps}


def defaults() -> dict[str, Any]:
    """The settings a page with an empty hash starts from."""
    return {name: field.default for name, field in FIELDS.items()}


def n_inputs(settings: dict[str, Any]) -> int:
    """The net's number of inputs D for these settings."""
    return INPUTS.get(settings["dataset"], 2)


def n_classes(settings: dict[str, Any]) -> int:
    """The net's number of outputs C for these settings."""
    low, high = CLASS_RANGE[settings["dataset"]]
    return low if low == high else settings["classes"]


def applies(name: str, dataset: str) -> bool:
    """Whether the setting ``name`` means anything for ``dataset`` (see NOT_APPLICABLE)."""
    return name not in NOT_APPLICABLE.get(dataset, ())


def live_keys() -> tuple[str, ...]:
    """The settings that apply to the running net."""
    return tuple(name for name, field in FIELDS.items() if field.live)


def validate(settings: dict[str, Any]) -> dict[str, Any]:
    """A complete, checked copy of ``settings`` (missing keys take their defaults).

    Raises ValueError naming the first bad field and its allowed range; unknown keys are an error
    too, so a typo never passes silently.
    """
    if not isinstance(settings, dict):
        raise ValueError(text.say("settings.not-dict", type=type(settings).__name__))
    unknown = sorted(set(settings) - set(FIELDS))
    if unknown:
        raise ValueError(text.say("settings.unknown", name=repr(unknown[0]), known=", ".join(FIELDS)))
    clean = defaults()
    for name, value in settings.items():
        kind, low, high, choices = FIELDS[name].kind, FIELDS[name].low, FIELDS[name].high, FIELDS[name].choices
        if kind == "choice":
            if value not in choices:
                raise ValueError(text.say("settings.choice", name=name, choices=", ".join(choices), value=repr(str(value)[:40])))
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value):
                raise ValueError(text.say("settings.whole", name=name, value=repr(str(value)[:40])))
            value = int(value)
            if not low <= value <= high:
                raise ValueError(text.say("settings.range", name=name, low=low, high=high, value=value))
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(text.say("settings.finite", name=name, value=repr(str(value)[:40])))
            value = float(value)
            if not low <= value <= high:
                raise ValueError(text.say("settings.range-float", name=name, low=low, high=high, value=value))
        clean[name] = value
    low, high = CLASS_RANGE[clean["dataset"]]
    if not low <= clean["classes"] <= high:
        raise ValueError(text.say("settings.classes", dataset=clean["dataset"], low=low, high=high, value=clean["classes"]))
    return clean


_URI_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is, besides letters and digits
_QUOTED = 40  # characters of a bad value quoted back in a note


def _quote(given: str) -> str:
    """``given`` for a note, cut to _QUOTED characters, in double quotes (as web/state.js does)."""
    return json.dumps(given if len(given) <= _QUOTED else given[: _QUOTED - 1] + "…", ensure_ascii=False)


def _decode(part: str) -> str:
    """decodeURIComponent of a hash's part ('+' read as a space); ValueError where it is not valid."""
    part = part.replace("+", " ")
    if re.search(r"%(?![0-9A-Fa-f]{2})", part):
        raise ValueError(text.say("settings.url-encoding"))
    try:
        return urllib.parse.unquote(part, errors="strict")
    except UnicodeDecodeError:
        raise ValueError(text.say("settings.url-encoding")) from None


def parse_assignment(hash: str) -> tuple[dict[str, Any], list[str]]:
    """The assignment a link's hash sets, and a note for each bad or unknown value it ignored.

    Reads only ASSIGNMENT's keys (the settings and the view are web/state.js's); a key given twice
    takes its last readable value. The result has every key (the defaults for those not given: every
    exercise in ORDER, solutions on, equations shown, every panel) and ``given``, the keys the hash
    named. A list drops its unknown names, one note each, and its repeats; a list left empty takes
    the default, with a note (a list whose default is empty, ``lessons``, is then empty: no note).
    """
    values: dict[str, str] = {}
    notes: list[str] = []
    for part in str(hash or "").removeprefix("#").split("&"):
        key, eq, value = part.partition("=")
        if key not in ASSIGNMENT:
            continue
        try:
            values[key] = _decode(value) if eq else ""
        except ValueError:
            notes.append(text.say("settings.note.encoding", key=key))
    assignment: dict[str, Any] = {name: (list(key.default) if key.kind == "list" else key.default)
                                  for name, key in ASSIGNMENT.items()}
    for name, given in values.items():
        key = ASSIGNMENT[name]
        given = given.strip()
        if key.kind == "text":
            if len(given) > key.max_chars:
                notes.append(text.say("settings.note.title-long", key=name, limit=key.max_chars))
            elif any(ord(c) < 32 or ord(c) == 127 for c in given):
                notes.append(text.say("settings.note.title-control", key=name))
            else:
                assignment[name] = given
        elif key.kind == "choice":
            if given in key.choices:
                assignment[name] = given
            else:
                notes.append(text.say("settings.note.choice", key=name, value=_quote(given), known=", ".join(key.choices),
                                      default=key.default))
        else:
            chosen: list[str] = []
            for item in (item.strip() for item in given.split(",")):
                if item == "" or item in chosen:
                    continue
                if item in key.choices:
                    chosen.append(item)
                else:
                    notes.append(text.say("settings.note.unknown", key=name, value=_quote(item), known=", ".join(key.choices)))
            if name == "panels":
                chosen = [item for item in key.choices if item in chosen]
            if chosen or not key.default:
                assignment[name] = chosen
            else:
                notes.append(text.say("settings.note.none", key=name, default=", ".join(key.default)))
    assignment["given"] = [name for name in ASSIGNMENT if name in values]
    return assignment, notes


def assignment_hash(assignment: dict[str, Any]) -> str:
    """The hash part (no leading "#") of an assignment: every key of ASSIGNMENT (a quiet one only when
    it names something), in its order, the
    title percent-encoded as JavaScript's encodeURIComponent does, lists joined with commas (their
    names need no encoding).
    ``parse_assignment`` reads it back to the same values."""
    parts = []
    for name, key in ASSIGNMENT.items():
        value = assignment.get(name, key.default)
        if key.quiet and value == key.default:
            continue
        text = ",".join(value) if key.kind == "list" else urllib.parse.quote(str(value), safe=_URI_SAFE)
        parts.append(f"{name}={text}")
    return "&".join(parts)


def with_texts(table: dict[str, Any]) -> dict[str, Any]:
    """``table`` with ``texts``: the English of every text id it names (pynn.page.text's registry), which
    the page's lookup takes as English for those ids (web/lang/text.js's addEnglish). A table of the
    page names a text by its id (a setting's help, a lesson's question…), never by its English."""
    named = {key: value for key, value in table.items() if key != "texts"}
    return {**named, "texts": text.english_of(text.named(named))}


def table() -> dict[str, Any]:
    """Everything above as plain JSON values: what the page receives in dist/settings.js (with the
    English of the texts it names, ``texts``)."""
    return with_texts({
        "fields": {
            name: {
                "kind": f.kind, "default": f.default, "min": f.low, "max": f.high, "live": f.live,
                **({"choices": list(f.choices),
                    "names": {value: f"settings.choice.{name}.{value}" for value in f.choices}} if f.choices else {}),
                **({"quiet": True} if f.quiet else {}),
            }
            for name, f in FIELDS.items()
        },
        "help": {name: f"settings.help.{name}" for name in FIELDS},
        "datasets": list(DATASETS),
        "class_range": {name: list(CLASS_RANGE[name]) for name in DATASETS},
        "inputs": {name: INPUTS.get(name, 2) for name in DATASETS},
        "kinds": {name: {"plane": name not in IMAGES, "image": list(IMAGES[name]) if name in IMAGES else None,
                         "yours": name in YOURS} for name in DATASETS},
        "not_applicable": {name: list(NOT_APPLICABLE.get(name, ())) for name in DATASETS},
        "csv": {"max_bytes": CSV_MAX_BYTES, "max_rows": CSV_MAX_ROWS, "max_label": CSV_MAX_LABEL, "max_abs": CSV_MAX_ABS},
        "model_max_bytes": MODEL_MAX_BYTES,
        "json": {"max_bytes": JSON_MAX_BYTES, "max_depth": JSON_MAX_DEPTH},
        "sliders": sliders(),
        "exercises": {"order": list(declared("exercises/__init__.py", "ORDER")),
                      "required": list(declared("yourcode.py", "REQUIRED"))},
        "calls": [ast.literal_eval(name) for name in _assigned(HERE / "calls.py", "PAGE").keys],
        "tour": {"steps": TOUR_STEPS, "cards": tour.cards()},
        "derive": {"steps": list(declared("derivation/__init__.py", "ORDER"))},
        "languages": dict(LANGUAGES),
        "view": view_keys(),
        "catalogue_max_bytes": CATALOGUE_MAX_BYTES,
        "cache_prefix": CACHE_PREFIX,
        "take_over": TAKE_OVER,
        "files": dict(FILES),
        "timeouts_ms": dict(TIMEOUTS_MS),
        "code_max_chars": CODE_MAX_CHARS,
        "handin_max_bytes": HANDIN_MAX_BYTES,
        "class_max_bytes": CLASS_MAX_BYTES,
        "code_flags": {code: f"settings.code-flag.{code}" for code in CODE_FLAGS},
        "sandbox_answer": dict(SANDBOX_ANSWER),
        "panels": {name: f"settings.panel.{name}" for name in PANELS},
        "assignment": {
            name: {"kind": key.kind, "default": key.default, "choices": list(key.choices), "max_chars": key.max_chars,
                   **({"quiet": True} if key.quiet else {})}
            for name, key in ASSIGNMENT.items()
        },
    })


def javascript(more: dict[str, Any] | None = None) -> str:
    """``table()`` and the keys of ``more`` as the ES module dist/settings.js (JSON is a JavaScript
    expression), ``texts`` holding the English of the ids both name."""
    return (
        "// Written by build.py from pynn/page/settings.py: the page's settings, limits and names.\n"
        f"export default Object.freeze({json.dumps(with_texts({**table(), **(more or {})}), indent=1)});\n"
    )


if __name__ == "__main__":
    print(json.dumps(table()))
