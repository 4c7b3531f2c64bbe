// What web/teaching/editor.js uses of CodeMirror 6; build.py bundles this file with esbuild into one ES
// module, dist/vendor/codemirror.js (the packages and versions: tools/editor/package.json).
export { EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
export { EditorState, StateEffect, StateField } from "@codemirror/state";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
export { python } from "@codemirror/lang-python";
