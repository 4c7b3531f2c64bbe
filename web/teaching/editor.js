// The exercises' code editor: CodeMirror 6 (dist/vendor/codemirror.js, bundled by build.py) with
// Python highlighting, line numbers, auto-indent, Tab to indent and the line of an error marked.
//
// Tab indents, so the keyboard's way out is CodeMirror's own: Escape, then Tab (or Shift-Tab).
// The editor lives in a shadow root: CodeMirror then puts its styles in a constructed style sheet
// (adoptedStyleSheets, filled through the CSSOM) instead of a <style> element, which the page's
// Content-Security-Policy (style-src 'self', no 'unsafe-inline') would block.
import {
  Decoration,
  EditorState,
  EditorView,
  StateEffect,
  StateField,
  bracketMatching,
  defaultHighlightStyle,
  defaultKeymap,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  history,
  historyKeymap,
  indentOnInput,
  indentUnit,
  indentWithTab,
  keymap,
  lineNumbers,
  python,
  syntaxHighlighting,
} from "../vendor/codemirror.js";

const markLine = StateEffect.define(); // a line number from 1, or null to clear
const errorLine = Decoration.line({ class: "cm-error-line" });

const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = transaction.docChanged ? Decoration.none : marks; // an edit makes the old error stale
    for (const effect of transaction.effects) {
      if (!effect.is(markLine)) continue;
      const line = effect.value;
      next = line === null || line > transaction.state.doc.lines
        ? Decoration.none
        : Decoration.set([errorLine.range(transaction.state.doc.line(line).from)]);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// Typing over a selection is done here, not by the browser: Chrome would wrap the new text in a
// <span style="…"> keeping the look of what it replaced, an inline style the page's CSP blocks
// (and reports). CodeMirror draws the text from its own state either way.
const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertText" || !event.data || view.composing || view.state.selection.ranges.every((r) => r.empty)) {
      return false;
    }
    event.preventDefault();
    view.dispatch(view.state.replaceSelection(event.data), { scrollIntoView: true, userEvent: "input.type" });
    return true;
  },
});

// A click below the code (or at the end of the skeleton's last, empty line) puts the cursor at
// column 0, outside the function: what the student then types would be a top-level `return`
// ("return outside function"). The first character typed there is indented like the body's last
// line (one unit more after a line ending in ":"), so it lands inside the function. Not on a line
// the student's last edit made or changed: a line dedented with Backspace stays where it is.
function bodyIndent(state, pos) {
  const line = state.doc.lineAt(pos);
  if (line.text.trim() !== "" || state.doc.sliceString(pos).trim() !== "") return null; // not below the code
  for (let n = line.number - 1; n >= 1; n--) {
    const text = state.doc.line(n).text;
    if (text.trim() === "") continue;
    const indent = /^\s*/.exec(text)[0] + (text.trimEnd().endsWith(":") ? "    " : "");
    return indent.length > pos - line.from ? indent : null;
  }
  return null;
}

const stayInTheBody = () => {
  let edited = null; // [from, to] of the last edit, in the document as it is now
  return [
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      update.changes.iterChangedRanges((fromA, toA, fromB, toB) => { edited = [fromB, toB]; });
    }),
    EditorView.inputHandler.of((view, from, to, text) => {
      if (from !== to || /^\s/.test(text)) return false;
      const line = view.state.doc.lineAt(from);
      if (edited && edited[0] <= line.to && edited[1] >= line.from) return false;
      const indent = bodyIndent(view.state, from);
      if (indent === null) return false;
      view.dispatch({
        changes: { from: line.from, to: from, insert: indent + text },
        selection: { anchor: line.from + indent.length + text.length },
        userEvent: "input.type",
      });
      return true;
    }),
  ];
};

const theme = EditorView.theme({
  "&": {
    fontSize: "14px",
    border: "1px solid #c7ced9",
    borderRadius: "8px",
    background: "#ffffff",
    color: "#1c2330",
  },
  "&.cm-focused": { outline: "3px solid #0072b2", outlineOffset: "1px" },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
    lineHeight: "1.5",
    minHeight: "16em",
    maxHeight: "34em",
  },
  ".cm-content": { padding: "6px 0" },
  ".cm-gutters": { background: "#f4f6fa", color: "#5b6576", borderRight: "1px solid #dde2ea", borderRadius: "8px 0 0 8px" },
  ".cm-activeLine": { background: "#f0f5fb" },
  ".cm-activeLineGutter": { background: "#e3ecf7" },
  ".cm-error-line": { background: "#fdecea", boxShadow: "inset 3px 0 0 #b3261e" },
});

// An editor in `parent` holding `doc`; `onChange(text)` after every edit.
export function createEditor({ parent, doc, label, onChange }) {
  const host = document.createElement("div");
  host.className = "editor-host";
  host.dataset.testid = "exercise-editor";
  parent.append(host);
  const root = host.attachShadow({ mode: "open" });
  // Keys typed here are the editor's: the page's shortcuts (space, s, r) must not see them, and
  // across the shadow boundary their target would look like a plain <div>.
  host.addEventListener("keydown", (event) => event.stopPropagation());
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        syntaxHighlighting(defaultHighlightStyle),
        python(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        errorField,
        typeOverSelection,
        stayInTheBody(),
        theme,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    host,
    view,
    get text() {
      return view.state.doc.toString();
    },
    set(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, effects: markLine.of(null) });
    },
    // Mark line `line` (from 1) as the error's and scroll to it; null clears the mark.
    mark(line) {
      const effects = [markLine.of(line)];
      if (line !== null && line <= view.state.doc.lines) {
        effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "center" }));
      }
      view.dispatch({ effects });
    },
    focus() {
      view.focus();
    },
  };
}
