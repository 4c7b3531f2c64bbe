// The plane before Python has started: the data set's points as pynn drew them when the site was
// built (dist/previews.json, made by pynn.page.previews: the points stay Python's), marked
// "preview" when the link's setup makes other points, under "Python is loading — n of m MB".
// Python's first answer replaces the points and the note goes.
import { number, t } from "../lang/text.js";

const mb = (bytes) => number(bytes / 1e6, 1);

export class PlanePreview {
  // note: the overlay (hidden once Python is ready); tag: its "preview" label; text: its line;
  // show(data): hand the points to the plane (BoundaryView.setData's shape) and paint.
  constructor({ note, tag, text, show, load = () => fetch("previews.json").then((answer) => answer.json()) }) {
    this.note = note;
    this.tag = tag;
    this.text = text;
    this.showData = show;
    this.load = load;
    this.done = false;
  }

  // The points for `settings`, if a preview of its data set exists; the fetch failing leaves the
  // plane as it is (Python draws it soon), so it is not an error worth a message.
  async draw(settings) {
    let previews;
    try {
      previews = await this.load();
    } catch {
      return;
    }
    const preview = previews.datasets[settings.dataset];
    if (!preview || this.done) return;
    this.tag.hidden = previews.keys.every((key) => preview.settings[key] === settings[key]);
    this.showData({
      classes: preview.classes,
      extent: preview.extent,
      trainXy: Float32Array.from(preview.train_xy),
      trainY: Uint8Array.from(preview.train_y),
      testXy: Float32Array.from(preview.test_xy),
      testY: Uint8Array.from(preview.test_y),
    });
  }

  bytes({ loaded, total }) {
    if (!this.done) this.text.textContent = t("start.bytes.loading", { loaded: mb(Math.min(loaded, total)), total: mb(total) });
  }

  // Python has answered with the real points (or failed to start): the preview's part is over.
  end() {
    this.done = true;
    this.note.hidden = true;
  }
}
