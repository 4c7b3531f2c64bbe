// The page's texts in English, by id (docs/translating.md): a JSON object, a plural as
// [singular, plural]. index.html's own texts stay in index.html (data-t="id"); an id lives in one
// place. tools/i18n.py reads this table into the catalogues' template.
export default Object.freeze({
 "lang.menu": "Language"
});
