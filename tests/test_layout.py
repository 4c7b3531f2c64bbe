"""The code's layout rules, measured: no module reaches into another's underscore names, and no
function of pynn/, build.py, tools/ or web/ runs over 80 lines (bench/ aside)."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from pynn import model
from pynn.page import settings

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sorted([*ROOT.glob("pynn/**/*.py"), ROOT / "build.py", *ROOT.glob("tools/**/*.py")])
LONGEST = 80

# Underscore names that are not another module's private ones:
ALLOWED = {
    "_replace",  # NamedTuple's own public method (the underscore keeps it apart from the fields)
    "_asdict",  # NamedTuple's own public method too
    "_checks",  # pynn/_checks.py: the package's input checks, private to pynn, shared by its modules
    "importlib._bootstrap_external",  # the standard library's pyc writer: tools/wheel.py writes
    "_code_to_hash_pyc",  # unchecked-hash pycs exactly as importlib does
}


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def foreign_private_names(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every underscore name a module takes from another: imported, or read as an
    attribute of anything but self, cls or super()."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if private(a.name)]
            if node.module and any(private(part) for part in node.module.split(".")):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if any(private(p) for p in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                continue
            found.append((node.lineno, ast.unparse(node)))
    return [(line, name) for line, name in found if name not in ALLOWED and name.rsplit(".", 1)[-1] not in ALLOWED]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_another_modules_underscore_names(path: Path) -> None:
    assert foreign_private_names(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_scan_finds_an_underscore_name_taken_from_another_module() -> None:
    code = "from .training import _batches\nimport pynn._private\nnet._step(X)\nself._own()\nsuper()._step()\n"
    assert foreign_private_names(ast.parse(code)) == [(1, "_batches"), (2, "pynn._private"), (3, "net._step")]


def functions(tree: ast.AST) -> list[tuple[str, int]]:
    return [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_runs_over_80_lines(path: Path) -> None:
    assert [(name, lines) for name, lines in functions(ast.parse(path.read_text(encoding="utf-8"))) if lines > LONGEST] == []


def test_the_length_counts_every_line_of_a_function_with_its_decorators_left_out() -> None:
    code = "@wrap\ndef short():\n    return 1\n\n\ndef long():\n" + "    x = 1\n" * 80
    assert functions(ast.parse(code)) == [("short", 2), ("long", 81)]


def test_the_nets_unchecked_maths_is_public_and_documented_with_its_shapes() -> None:
    """What pynn.train, the gradient check, the exercises and the page call on a TwoLayerNet."""
    for name in ("forward_pass", "backward_pass", "loss_of", "step", "validate", "restore"):
        doc = inspect.getdoc(getattr(model.TwoLayerNet, name))
        assert doc, name
    for name in ("forward_pass", "backward_pass", "loss_of", "step", "validate"):
        assert "×" in inspect.getdoc(getattr(model.TwoLayerNet, name)), name


# -- web/ -------------------------------------------------------------------------------------------

WEB = sorted((ROOT / "web").rglob("*.js"))
MAIN_JS = ROOT / "web" / "main.js"


def blank_strings(src: str) -> str:
    """JavaScript with its comments and the insides of its strings blanked (newlines kept), so the
    braces, brackets and parentheses left are the code's. A template literal is blanked whole,
    its ${…} included."""
    out = []
    i, n = 0, len(src)
    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src[i] in "\"'`":
            j = string_end(src, i)
            out.append(src[i] + re.sub(r"[^\n]", " ", src[i + 1:j]) + src[i])
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def string_end(src: str, i: int) -> int:
    """Where the string or template literal opened by the quote at src[i] closes."""
    quote, j, n = src[i], i + 1, len(src)
    while j < n and src[j] != quote:
        if src[j] == "\\":
            j += 2
        elif quote == "`" and src.startswith("${", j):
            depth, j = 1, j + 2
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(src[j], 0)
                j += 1
        else:
            j += 1
    return j


OPENS, CLOSES = "([{", ")]}"
NOT_FUNCTIONS = {"if", "for", "while", "switch", "catch", "with", "function", "async", "return", "typeof", "await"}
ASSIGNED = re.compile(r"([\w$]+)\s*[=:]\s*(?:async\s+)?$")  # name = …, name: … before a function


def space_before(code: str, i: int) -> int:
    """The last index at or before i that is not white space."""
    while i >= 0 and code[i].isspace():
        i -= 1
    return i


def opening(code: str, i: int) -> int:
    """The index of the bracket that the closing one at code[i] matches."""
    depth = 0
    for j in range(i, -1, -1):
        if code[j] in CLOSES:
            depth += 1
        elif code[j] in OPENS:
            depth -= 1
            if depth == 0:
                return j
    return -1


def function_head(code: str, brace: int) -> tuple[str, int] | None:
    """(name, where the head starts) of the function, method or arrow whose body the "{" at
    code[brace] opens, or None when it opens anything else (a block, an object, a class).
    The head: `function name(…)`, `name = function (…)`, `name(…)` (a method), `(…) =>`, `x =>`,
    its parameters spanning lines and destructuring as they please."""
    end = space_before(code, brace - 1)
    if code[end - 1:end + 1] == "=>":
        end = space_before(code, end - 2)
        start = opening(code, end) if code[end] == ")" else re.search(r"[\w$]+$", code[:end + 1]).start()
        named = ASSIGNED.search(code[:start])
        return (named.group(1), named.start()) if named else ("(anonymous)", start)
    if end < 0 or code[end] != ")":
        return None
    start = opening(code, end)
    before = code[:start]
    keyword = re.search(r"\bfunction\b\s*\*?\s*([\w$]*)\s*$", before)
    if keyword and keyword.group(1):
        return keyword.group(1), keyword.start()
    if keyword:
        named = ASSIGNED.search(before[:keyword.start()])
        return (named.group(1), named.start()) if named else ("(anonymous)", keyword.start())
    method = re.search(r"([\w$]+)\s*$", before)
    if method and method.group(1) not in NOT_FUNCTIONS:
        return method.group(1), method.start()
    return None


def function_spans(code: str) -> list[tuple[str, int, int]]:
    """(name, where its head starts, where its body closes) of every function with a body in
    ``code`` (JavaScript blanked by blank_strings), inner ones first."""
    found, stack = [], []
    for i, ch in enumerate(code):
        if ch == "{":
            stack.append(function_head(code, i))
        elif ch == "}" and stack:
            head = stack.pop()
            if head:
                found.append((head[0], head[1], i))
    return found


def js_functions(src: str) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of every function, method and arrow function with a body in
    ``src``, from its head's first line to its closing brace."""
    code = blank_strings(src)
    line = lambda i: code.count("\n", 0, i) + 1  # noqa: E731
    return [(name, line(start), line(end) - line(start) + 1) for name, start, end in function_spans(code)]


@pytest.mark.parametrize("path", WEB, ids=lambda p: str(p.relative_to(ROOT / "web")))
def test_no_javascript_function_runs_over_80_lines(path: Path) -> None:
    long = [(name, start, lines) for name, start, lines in js_functions(path.read_text(encoding="utf-8")) if lines > LONGEST]
    assert long == []


def test_the_javascript_measure_finds_functions_methods_and_arrows_and_skips_braces_in_text():
    code = """// a comment with { a brace
export function outer(a) {
  const s = "}{";
  const t = `${a + 1} }`;
  return [1].map((x) => {
    return x;
  });
}
class Panel {
  render(message) {
    if (message) {
      return 1;
    }
  }
}
"""
    assert js_functions(code) == [("(anonymous)", 5, 3), ("outer", 2, 7), ("render", 10, 5)]


def test_the_javascript_measure_counts_heads_over_several_lines_and_destructured_parameters():
    code = """export class Panel {
  constructor({ root, onOpen = () => {} }) {
    this.root = root;
  }
}
function spec(
  { fields },
  view = {},
) {
  return fields;
}
const named = function ({ a }) {
  return a;
};
"""
    assert js_functions(code) == [("onOpen", 2, 1), ("constructor", 2, 3), ("spec", 6, 6), ("named", 12, 3)]


# -- main.js: the page's wiring in named functions ---------------------------------------------------
#
# The rule: main.js's top level is, statement by statement,
#   - an `import` declaration;
#   - a function (async too) or class declaration;
#   - a `const` or `let` declaration that runs nothing as the module loads: outside the bodies of the
#     functions and arrows it holds, no call, no `new`, no `await`, no tagged template (values:
#     literals, names, arrays and objects of them, functions);
#   - and, last, the one call that starts the page: `name();` of a function declared at the top.
# So every element looked up, every panel made and every listener added happens in a named
# function, and reading the function names top to bottom reads the page's parts.

DECLARATION = re.compile(r"(?:export\s+)?(?:(?:async\s+)?function\b|class\b)")
DECLARED = re.compile(r"(?:export\s+)?(?:const|let|var)\b|import\b|export\s*\{")  # end with their ";"
CALL = re.compile(r"([\w$]+|[)\]])\s*[(`]|\bnew\b|\bawait\b")  # f(…), f`…`, g()(…), new, await


def top_level_statements(code: str) -> list[tuple[int, str]]:
    """(where it starts, its text stripped) of each statement at the top level of ``code`` (blanked
    JavaScript): each ends with its ";" or, unless it is an import or a const or let, with a "}" (a
    function's or class's body, a block's)."""
    statements, depth, start = [], 0, 0
    for i, ch in enumerate(code):
        if ch in OPENS:
            depth += 1
        elif ch in CLOSES:
            depth -= 1
        if depth == 0 and (ch == ";" or ch == "}" and not DECLARED.match(code[start:].lstrip())):
            if code[start:i + 1].strip() not in ("", ";"):
                statements.append((start + len(code[start:]) - len(code[start:].lstrip()), code[start:i + 1].strip()))
            start = i + 1
    if code[start:].strip():
        statements.append((start + len(code[start:]) - len(code[start:].lstrip()), code[start:].strip()))
    return statements


def without_functions(code: str) -> str:
    """``code`` with every function's head and body, and every arrow's expression body, blanked."""
    chars = list(code)
    for _, start, end in function_spans(code):
        chars[start:end + 1] = " " * (end + 1 - start)
    code = "".join(chars)
    for arrow in re.finditer(r"=>\s*(?=[^\s{])", code):
        depth, end = 0, arrow.end()
        while end < len(code) and not (depth == 0 and code[end] in ",;") and depth >= 0:
            depth += (code[end] in OPENS) - (code[end] in CLOSES)
            end += 1
        chars[arrow.start():end - (depth < 0)] = " " * (end - (depth < 0) - arrow.start())
    return "".join(chars)


def runs_something(declaration: str) -> bool:
    """Whether a `const`/`let` declaration calls, constructs or awaits anything outside its functions."""
    return any(match.group(0).strip() in ("new", "await") or match.group(1) not in NOT_FUNCTIONS
               for match in CALL.finditer(without_functions(declaration)))


def top_level_breaks(src: str) -> list[str]:
    """The first line of each top-level statement of ``src`` that breaks main.js's rule (above)."""
    statements = top_level_statements(blank_strings(src))
    declared = {m.group(1) for _, s in statements if (m := re.match(r"(?:async\s+)?function\s+([\w$]+)", s))}
    breaks = []
    for number, (start, statement) in enumerate(statements, 1):
        if re.match(r"import\b", statement) or DECLARATION.match(statement):
            continue
        if re.match(r"(?:export\s+)?(?:const|let)\b", statement) and not runs_something(statement):
            continue
        call = re.fullmatch(r"([\w$]+)\(\s*\);", statement)
        if number == len(statements) and call and call.group(1) in declared:
            continue
        breaks.append(src[start:].split("\n", 1)[0])
    return breaks


def test_main_js_top_level_only_declares_and_starts_the_page_with_one_call():
    assert top_level_breaks(MAIN_JS.read_text(encoding="utf-8")) == []


def test_the_top_level_rule_finds_each_statement_that_runs_something():
    code = """import { a } from "./a.js";
const LIMIT = 3, NAMES = ["x", `y`];
const $ = (id) => document.getElementById(id);
let view = { hide: [] }, parts;
const panel = { async on(x) { return await a(x); }, off: () => { a(1); } };
function wire() {
  a(2);
}
const found = $("x");
let made = new Map();
a.addEventListener("click", wire);
for (const key of NAMES) {
  wire(key);
}
wire();
main();
"""
    assert top_level_breaks(code) == [
        'const found = $("x");', "let made = new Map();", 'a.addEventListener("click", wire);',
        "for (const key of NAMES) {", "wire();", "main();",
    ]
    assert top_level_breaks("function main() {\n}\nmain();\n") == []


# -- web/ in folders (issue 24, item 1) ----------------------------------------------------------------

# At the top of web/: the page, its wiring, the shared helpers, what must sit at the site's root
# (boot.js: the worker's URL is relative to it; sw.js: a service worker's scope is its folder).
WEB_TOP = {"index.html", "main.js", "dom.js", "state.js", "sw.js", "boot.js", "favicon.svg"}
WEB_FOLDERS = {"start", "training", "inside", "data", "teaching", "classroom", "lang"}


def test_the_top_of_web_holds_only_the_page_its_wiring_the_shared_helpers_and_the_root_files():
    top = ROOT / "web"
    assert sorted(p.name for p in top.iterdir() if p.is_file() and p.name not in WEB_TOP) == []
    assert sorted(p.name for p in top.iterdir() if p.is_dir()) == sorted(WEB_FOLDERS)
    assert all((top / name).is_file() for name in WEB_TOP)


def test_every_style_sheet_sits_beside_the_modules_it_styles():
    """A folder's style sheets style that folder's modules: each sheet stands in a folder of modules,
    and no sheet stands at the top (a folder of style sheets alone would be a layout by kind)."""
    sheets = sorted((ROOT / "web").rglob("*.css"))
    assert sheets
    for sheet in sheets:
        folder = sheet.parent
        assert folder != ROOT / "web", sheet.name
        assert folder.name in WEB_FOLDERS, sheet
        assert any(folder.glob("*.js")), f"{sheet.relative_to(ROOT)} has no module beside it"


def test_every_module_and_style_sheet_of_web_is_reached_from_the_page():
    """Nothing left behind by a move: each module of web/ is named by an import, a worker's URL or
    the page, and each style sheet by index.html or a module (the derivation's, loaded when used)."""
    files = [p for p in (ROOT / "web").rglob("*") if p.suffix in {".js", ".css"}]
    named = set()
    for source in [*files, ROOT / "web" / "index.html", *(ROOT / "web").rglob("*.html")]:
        text = source.read_text(encoding="utf-8")
        for spec in re.findall(r"""(?:from\s*|import\(\s*|import\s+|new URL\(\s*|href=|src=)["']([^"':]+)["']""", text):
            named.add((source.parent / spec).resolve())
    entries = {ROOT / "web" / "main.js", ROOT / "web" / "sw.js", ROOT / "web" / "boot.js",
               ROOT / "web" / "start" / "sandboxworker.js"}  # the page's, the site's and the build's entries
    assert sorted(str(p.relative_to(ROOT)) for p in files if p.resolve() not in named and p not in entries) == []


# -- what a data set is, asked of the page table (issue 34) ----------------------------------------------

DATASETS = settings.DATASETS


def without_comments(src: str) -> str:
    """JavaScript with its comments blanked and its strings kept."""
    return re.sub(r"/\*.*?\*/|(?<![:\"'`\\])//[^\n]*", "", src, flags=re.DOTALL)


def dataset_names_compared(src: str) -> list[str]:
    """The data set names ``src`` compares something with (===, !==, a switch's case, includes,
    startsWith): code that decides by a data set's name instead of asking the page table what the
    data set is (``kinds``: plane or image, your own points or not; ``inputs``)."""
    code = without_comments(src)
    name = "|".join(map(re.escape, DATASETS))
    quoted = rf"""["'`]({name})["'`]"""
    patterns = [rf"[!=]==?\s*{quoted}", rf"{quoted}\s*[!=]==?", rf"\bcase\s+{quoted}\s*:",
                rf"\.(?:includes|startsWith|endsWith|indexOf)\(\s*{quoted}"]
    return sorted(match for pattern in patterns for match in re.findall(pattern, code))


def test_the_scan_finds_a_data_sets_name_compared():
    code = """if (message.dataset === "digits") a(); const b = "custom" !== d; switch (d) { case 'xor': }
        names.includes("spiral");
        // a comment: message.dataset === "digits"
        const kinds = table.kinds[message.dataset]; const label = "digits"; select("moons");"""
    assert dataset_names_compared(code) == ["custom", "digits", "spiral", "xor"]


@pytest.mark.parametrize("path", WEB, ids=lambda p: str(p.relative_to(ROOT / "web")))
def test_no_javascript_compares_a_data_sets_name(path: Path) -> None:
    assert dataset_names_compared(path.read_text(encoding="utf-8")) == []



# -- main.js only makes the page's parts and wires them ------------------------------------------------

MAIN_LINES = 300


def test_main_js_only_wires_the_parts_in_at_most_300_lines():
    lines = MAIN_JS.read_text(encoding="utf-8").count("\n")
    assert lines <= MAIN_LINES, f"web/main.js has {lines} lines: move what is not wiring into the parts"
