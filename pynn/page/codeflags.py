"""A static look at a piece of a student's code: what in it reaches outside its exercise.

    flags(source)   the codes (pynn.page.settings.CODE_FLAGS) of what the code does beyond numpy
                    and math, in the table's order, e.g. ["imports-pynn", "dunder"]

Nothing here runs the code: it is read as tokens, then as a syntax tree, where no student code
runs (the page's training worker). A flag does not change a grade; it tells the teacher (and the
student, on Check) where to look. The codes:

    imports-pynn, -js, -pyodide, -sys, -gc, -importlib, -builtins
                     imports that module or names it (np.sys too)
    imports-other    imports a module other than numpy, math (and __future__)
    eval             eval, exec or compile: text run as code
    dunder           a name or attribute __like_this__ (__globals__, __class__, __import__,
                     __setattr__, a method __eq__ defined): Python's machinery, not the exercise's
                     (__name__ alone is left alone)
    reflection       getattr, setattr, delattr, globals, vars or locals: attributes reached by a
                     name computed at run time
    patches-module   assigns to (or deletes) an attribute of numpy or math
    unreadable       nested too deeply to be read safely (see ``_too_deep``): graded as usual

Parsing has a cost the code can choose: CPython's parser recurses per level of nesting, and in
the browser's worker a few thousand levels (``- - - … x``, nested lambdas) overflow the stack and
end Python for good. So the tokens are weighed first, in one loop (``_too_deep``); a source
heavier than NESTING_BUDGET is flagged ``unreadable`` and never parsed here.
"""
from __future__ import annotations

import ast
import io
import tokenize

from . import text
from .settings import CODE_FLAGS

TEXT = text.register({
    "codeflags.not-text": "the code must be text, not {type}",
})


ALLOWED_MODULES = ("numpy", "math", "__future__")
WATCHED_MODULES = ("pynn", "js", "pyodide", "sys", "gc", "importlib", "builtins")
"""The modules a piece of an exercise has no business with: each has its code ``imports-<name>``."""
EVAL = ("eval", "exec", "compile")
REFLECTION = ("getattr", "setattr", "delattr", "globals", "vars", "locals")
HARMLESS_DUNDERS = ("__name__",)

NESTING_BUDGET = 1_000
"""How heavy a source's nesting may be, in units of one unary operator (CPython's parser spends
about one frame on ``-x``), before it is not parsed here. Measured in Pyodide with a 500 KB stack
(a browser worker's is about that): 4,000 units of ``- - … x`` parse; 1,750 nested lambdas do
(≈ 2.5 units each); 199 nested brackets cost about as much as 1,500 lambdas (≈ 20 units each).
Real exercise code weighs tens of units."""

# The weight of one token that makes the parser go one level deeper (see NESTING_BUDGET): an
# opening bracket, an indented block, and the operators and keywords whose operand or body nests.
_BRACKET = 25
_BLOCK = 25
_DEEPER = {"-": 1, "+": 1, "~": 1, "**": 1, "*": 1, ":=": 2, "not": 2, "await": 2, "yield": 2,
           "lambda": 3, "if": 3, "else": 3}
_OPEN, _CLOSE = "([{", ")]}"


def _too_deep(source: str) -> bool:
    """Whether the source's nesting weighs more than NESTING_BUDGET anywhere: for each open
    bracket (and the statement itself), the weight of the deepening tokens since its last comma,
    plus the brackets and indented blocks around it. One pass over the tokens, no recursion; a
    source the tokenizer refuses is not too deep (it does not compile anywhere)."""
    levels = [0]  # the weight gathered at each open bracket since its last comma; [0]: the statement
    blocks = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            text = token.string
            if token.type == tokenize.INDENT:
                blocks += 1
            elif token.type == tokenize.DEDENT:
                blocks -= 1
            elif token.type == tokenize.NEWLINE:
                levels = [0]
            elif text in _OPEN and token.type == tokenize.OP:
                levels.append(0)
            elif text in _CLOSE and token.type == tokenize.OP and len(levels) > 1:
                levels.pop()
            elif text == "," and token.type == tokenize.OP:
                levels[-1] = 0
            elif text in _DEEPER and token.type in (tokenize.OP, tokenize.NAME):
                levels[-1] += _DEEPER[text]
            if blocks * _BLOCK + (len(levels) - 1) * _BRACKET + sum(levels) > NESTING_BUDGET:
                return True
    except (tokenize.TokenError, SyntaxError, ValueError):
        return False
    return False


def _imported(node: ast.AST) -> list[str]:
    """The top-level modules an import statement names ("" for a relative import)."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [(node.module or "").split(".")[0] if node.level == 0 else ""]
    return []


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__") and name not in HARMLESS_DUNDERS


def _names(node: ast.AST) -> list[str]:
    """The identifiers a node reads or defines: a name, an attribute, a function, class or argument."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.alias):
        return [node.asname or node.name]
    return []


def _module_aliases(tree: ast.AST) -> set[str]:
    """The names the code binds to numpy or math (or their submodules) by importing them."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                      if alias.name.split(".")[0] in ("numpy", "math")}
    return bound


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def _patches(node: ast.AST, modules: set[str]) -> bool:
    """Whether a statement assigns to or deletes an attribute of an imported numpy or math."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    else:
        return False
    return any(isinstance(target, ast.Attribute) and isinstance(_root(target), ast.Name) and _root(target).id in modules
               for target in targets)


def _found(tree: ast.AST) -> set[str]:
    """Every flag the syntax tree shows (ast.walk: a loop, not recursion)."""
    found: set[str] = set()
    modules = _module_aliases(tree)
    for node in ast.walk(tree):
        for module in _imported(node):
            if module in WATCHED_MODULES:
                found.add(f"imports-{module}")
            elif module not in ALLOWED_MODULES:
                found.add("imports-other")
        for name in _names(node):
            if name in WATCHED_MODULES:
                found.add(f"imports-{name}")
            if _is_dunder(name):
                found.add("dunder")
            if isinstance(node, ast.Name) and name in EVAL:
                found.add("eval")
            if isinstance(node, ast.Name) and name in REFLECTION:
                found.add("reflection")
        if _patches(node, modules):
            found.add("patches-module")
    return found


def flags(source: str) -> list[str]:
    """The codes of what ``source`` reaches beyond its exercise, in CODE_FLAGS' order; none for a
    source that does not parse (it runs nowhere: the sandbox reports its syntax error)."""
    if not isinstance(source, str):
        raise ValueError(text.say("codeflags.not-text", type=type(source).__name__))
    if _too_deep(source):
        return ["unreadable"]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []
    found = _found(tree)
    return [code for code in CODE_FLAGS if code in found]
