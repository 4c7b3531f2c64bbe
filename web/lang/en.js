// The page's texts in English, by id (docs/translating.md): a JSON object, a plural as
// [singular, plural]. index.html's own texts stay in index.html (data-t="id"); an id lives in one
// place. tools/i18n.py reads this table into the catalogues' template.
export default Object.freeze({
 "derive-panel.check-failed": "pynn could not check it: {error}",
 "derive-panel.close": "Close",
 "derive-panel.failed": "The derivation could not start: {error}",
 "derive-panel.starting": "Starting Python for the derivation…",
 "lang.menu": "Language"
});
