// One marker shape per class, so classes differ by shape as well as by colour (for colour-blind
// readers and grey-scale print): the plane's points, the class key and the inspect panel share them.
// A shape is a closed polygon on the unit circle (y down, as on a canvas); class 0 is a circle.

const SIDES = [0, 4, 3, 4, 3, 6]; // circle, square, triangle, diamond, triangle down, hexagon
const TURN = [0, Math.PI / 4, -Math.PI / 2, 0, Math.PI / 2, 0];
const SCALE = [1, 1.15, 1.3, 1.25, 1.3, 1.1]; // equal visual weight: polygons look smaller than circles

export const SHAPE_NAMES = ["circle", "square", "triangle", "diamond", "triangle down", "hexagon"];

// The corners of class c's marker of radius r around (x, y); [] for the circle.
export function corners(c, x, y, r) {
  const k = c % SIDES.length;
  const n = SIDES[k];
  const out = [];
  for (let i = 0; i < n; i++) {
    const angle = TURN[k] + (2 * Math.PI * i) / n;
    out.push([x + SCALE[k] * r * Math.cos(angle), y + SCALE[k] * r * Math.sin(angle)]);
  }
  return out;
}

// Traces class c's marker as the current path of a 2-D canvas context.
export function traceMarker(ctx, c, x, y, r) {
  ctx.beginPath();
  const points = corners(c, x, y, r);
  if (points.length === 0) {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return;
  }
  ctx.moveTo(points[0][0], points[0][1]);
  for (const [px, py] of points.slice(1)) ctx.lineTo(px, py);
  ctx.closePath();
}

// A small SVG of class c's marker for keys and legends (filled, or hollow for test points).
export function markerIcon(c, { hollow = false, size = 14 } = {}) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "-8 -8 16 16");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", `marker c${c % SIDES.length}${hollow ? " hollow" : ""}`);
  const points = corners(c, 0, 0, 5.2);
  const shape = points.length
    ? document.createElementNS(ns, "polygon")
    : document.createElementNS(ns, "circle");
  if (points.length) shape.setAttribute("points", points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" "));
  else {
    shape.setAttribute("r", "5.2");
  }
  svg.append(shape);
  return svg;
}
