// Keeps a panel from shrinking while the page is the same size: a panel whose content changes
// (the inspect panel, while training or between spots) would otherwise move everything below it.
// Its CSS min-height covers the usual content; this ratchets it up to the tallest content seen,
// and lets go when the window's width changes.

export function holdHeight(panel) {
  let width = globalThis.innerWidth;
  let tallest = 0;
  new ResizeObserver(() => {
    // The digits have no plane to inspect: the panel is a line of text there.
    if (globalThis.innerWidth !== width || document.body.classList.contains("digits-mode")) {
      width = globalThis.innerWidth;
      tallest = 0;
      panel.style.minHeight = "";
    }
    const height = panel.getBoundingClientRect().height;
    if (height > tallest) {
      tallest = height;
      panel.style.minHeight = `${Math.ceil(height)}px`;
    }
  }).observe(panel);
}
