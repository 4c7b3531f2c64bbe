// Projector mode (`view=projector` in the hash, or the Projector button): large type, the plane
// and the curves side by side filling the screen, an open lesson in a column beside them, everything
// else hidden (training/teach.css, lessons.css). `hide=`
// keeps its meaning: the controls it names stay hidden when the mode is left.
import { t } from "../lang/text.js";

export class Projector {
  // page: { view(), setView(patch) }
  constructor({ button, page, doc = document }) {
    this.button = button;
    this.page = page;
    this.doc = doc;
    button.addEventListener("click", () => {
      const on = this.page.view().view !== "projector";
      this.page.setView({ view: on ? "projector" : "" });
      this.show(on ? "projector" : "");
    });
  }

  // After each hash read: the view's layout.
  show(layout) {
    const on = layout === "projector";
    this.doc.body.classList.toggle("projector", on);
    this.button.setAttribute("aria-pressed", String(on));
    this.button.textContent = on ? t("projector.leave") : t("projector.enter");
    globalThis.dispatchEvent(new Event("resize")); // canvases repaint at their new size
  }
}
