// Drawing the floor plan in screen pixels: the area the tables take, scaled up or down to fill
// its frame with the proportions kept, so words keep their real size (never a shrunken 4 px).

import { PLAN } from "./facts.js";

const MARGIN = 24; // plan units kept around the tables on screen (tighter than the drawing's own)
const EMPTY = { x: 0, y: 0, width: PLAN.minWidth, height: PLAN.minHeight };

/** The smallest box holding every table as drawn (rotation included), with a margin. */
export function tablesBox(tables) {
  if (!tables.length) return EMPTY;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const table of tables) {
    const angle = ((table.rotation || 0) * Math.PI) / 180;
    const halfWidth = (Math.abs(table.width * Math.cos(angle)) + Math.abs(table.height * Math.sin(angle))) / 2;
    const halfHeight = (Math.abs(table.width * Math.sin(angle)) + Math.abs(table.height * Math.cos(angle))) / 2;
    const centreX = table.x + table.width / 2;
    const centreY = table.y + table.height / 2;
    left = Math.min(left, centreX - halfWidth, table.x);
    top = Math.min(top, centreY - halfHeight, table.y);
    right = Math.max(right, centreX + halfWidth, table.x + table.width);
    bottom = Math.max(bottom, centreY + halfHeight, table.y + table.height);
  }
  return { x: left - MARGIN, y: top - MARGIN, width: right - left + 2 * MARGIN, height: bottom - top + 2 * MARGIN };
}

/**
 * Size the plan to fill `frame` (its inner box) with `box`; returns the drawing {box, scale, turned}.
 * On a phone (`narrow`) the drawing fills the width and may run down the page. A wide floor on an
 * upright screen is turned a quarter when that draws its tables much larger.
 */
export function fillFrame(plan, frame, box, { narrow = false } = {}) {
  const style = getComputedStyle(frame);
  const width = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = frame.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const fit = (across, down) => Math.max(0.1, narrow ? width / across : Math.min(width / across, height / down));
  const upright = box.width > box.height && (narrow || height > width);
  // A turned room is harder to read at a glance: turned only for tables at least 30% larger (phones: 5%).
  const gain = narrow ? 1.05 : 1.3;
  const turned = upright && fit(box.height, box.width) > gain * fit(box.width, box.height);
  const across = turned ? box.height : box.width;
  const down = turned ? box.width : box.height;
  const scale = fit(across, down);
  frame.toggleAttribute("data-turned", turned);
  const size = { width: `${Math.floor(across * scale)}px`, height: `${Math.floor(down * scale)}px` };
  Object.assign(plan.style, size);
  Object.assign(plan.parentElement.style, size);
  plan.style.removeProperty("--plan-scale");
  plan.style.backgroundSize = `${20 * scale}px ${20 * scale}px`;
  return { box, scale, turned };
}

/** The width and height of a `width` by `height` shape turned by `rotation` degrees, as drawn (an oval's own curve,
    not its corners). */
function turnedSize(width, height, rotation, round) {
  const angle = ((rotation || 0) * Math.PI) / 180;
  const [cos, sin] = [Math.abs(Math.cos(angle)), Math.abs(Math.sin(angle))];
  if (round) return [Math.hypot(width * cos, height * sin), Math.hypot(width * sin, height * cos)];
  return [width * cos + height * sin, width * sin + height * cos];
}

/** Put a tile where its table is in the drawing (a quarter turn clockwise when the drawing is turned). The tile is
    the table's box as drawn, its own turn included, and its shape is turned inside it: the number, seats and every
    badge are placed from the table the host sees, not from the box it had before it was turned. */
export function placeScaled(tile, table, { box, scale, turned }) {
  const left = (turned ? box.y + box.height - (table.y + table.height) : table.x - box.x) * scale;
  const top = (turned ? table.x - box.x : table.y - box.y) * scale;
  const width = (turned ? table.height : table.width) * scale;
  const height = (turned ? table.width : table.height) * scale;
  const [drawnWidth, drawnHeight] = turnedSize(width, height, table.rotation, table.shape === "round");
  const [inX, inY] = [(drawnWidth - width) / 2, (drawnHeight - height) / 2];
  tile.style.left = `${left - inX}px`;
  tile.style.top = `${top - inY}px`;
  tile.style.width = `${drawnWidth}px`;
  tile.style.height = `${drawnHeight}px`;
  const shape = tile.querySelector(".tile__shape");
  // The turn first, as the server writes it: a tile drawn live is then the same markup as one the server drew.
  shape.style.transform = `rotate(${table.rotation}deg)`;
  Object.assign(shape.style, { left: `${inX}px`, top: `${inY}px`, width: `${width}px`, height: `${height}px` });
}

/** Cards carry no geometry of their own: the grid places them. */
export function clearPlacement(tile) {
  const shape = tile.querySelector(".tile__shape");
  for (const property of ["left", "top", "width", "height"]) {
    tile.style.removeProperty(property);
    shape.style.removeProperty(property);
  }
  shape.style.removeProperty("transform");
  // No empty style="" left behind: a card drawn by the server is then the same markup as one that arrived later.
  for (const element of [tile, shape]) if (!element.style.length) element.removeAttribute("style");
}
