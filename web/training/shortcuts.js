// Keyboard shortcuts for a classroom: space plays or pauses, s steps one epoch, r resets.
// They press the page's own buttons (so a disabled button stays disabled) and stay out of the way
// while someone types in a field or uses a control that has keys of its own.

export const SHORTCUTS = { " ": "play", s: "step", r: "reset" };

// Whether a key press aimed at `target` is the shortcut's to take.
export function wantsKey(target, key) {
  const tag = target?.tagName;
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || target?.isContentEditable) return false;
  // Space already presses a focused button, opens a <summary> or follows a link.
  if (key === " " && (tag === "BUTTON" || tag === "SUMMARY" || tag === "A")) return false;
  return true;
}

export function installShortcuts(doc = document) {
  doc.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const id = SHORTCUTS[key];
    if (!id || !wantsKey(event.target, key)) return;
    const button = doc.getElementById(id);
    if (!button || button.disabled || button.closest("[hidden]")) return;
    event.preventDefault(); // no page scroll on space
    button.click();
  });
}
