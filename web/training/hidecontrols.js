// "Present" mode: the hash's hide=lr,batch hides those controls, so a teacher can fix a setup for a
// lesson. The values still apply (they stay in the hash); only the fields are out of sight.
import { t } from "../lang/text.js";

// Hide the field of each control named in `hide` (ids are the hash keys); show all the others.
export function applyHide(hide, keys, doc = document) {
  const hidden = new Set(hide);
  for (const key of keys) {
    const control = doc.getElementById(key);
    const field = control?.closest(".field") ?? control;
    if (field) field.hidden = hidden.has(key);
  }
  for (const group of doc.querySelectorAll("fieldset")) {
    const fields = [...group.querySelectorAll(".field")];
    group.hidden = fields.length > 0 && fields.every((field) => field.hidden);
  }
  const note = doc.getElementById("present-note");
  if (note) {
    note.hidden = hidden.size === 0;
    note.textContent = hidden.size ? t("lab.hidden-controls", { keys: [...hidden].join(", ") }) : "";
  }
}
