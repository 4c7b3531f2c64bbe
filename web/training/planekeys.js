// The plane by keyboard: focus it (Tab), move a spot with the arrow keys (Shift: bigger steps),
// press Enter to click there — inspect and pin that spot, or add or remove a point as "Click adds"
// says. The keys make the same pointer events a mouse would, so every panel reacts as to a mouse.
import { t } from "../lang/text.js";

const STEPS = 40; // arrow presses from one edge of the plane to the other

export function moveSpot(spot, key, big) {
  const step = (big ? 5 : 1) / STEPS;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const [dx, dy] = moves[key] ?? [0, 0];
  const clamp = (v) => Math.min(1, Math.max(0, v));
  return { fx: clamp(spot.fx + dx), fy: clamp(spot.fy + dy) };
}

export function installPlaneKeys(canvas) {
  let spot = { fx: 0.5, fy: 0.5 };
  canvas.tabIndex = 0;
  canvas.setAttribute("aria-description", t("lab.plane.keys"));
  const fire = (type) => {
    const box = canvas.getBoundingClientRect();
    const init = {
      bubbles: true, cancelable: true, pointerType: "mouse",
      clientX: box.left + spot.fx * box.width, clientY: box.top + spot.fy * box.height,
    };
    canvas.dispatchEvent(type === "click" ? new MouseEvent("click", init) : new PointerEvent(type, init));
  };
  canvas.addEventListener("keydown", (event) => {
    if (event.key.startsWith("Arrow")) {
      spot = moveSpot(spot, event.key, event.shiftKey);
      fire("pointermove");
      event.preventDefault();
    } else if (event.key === "Enter") {
      fire("click");
      event.preventDefault();
    }
  });
  canvas.addEventListener("focus", () => fire("pointermove"));
}
