// Fitting a floor plan drawn in plan units into the width of the screen.

import { PLAN } from "./facts.js";

/** The drawing's size: every table fits with the server's margin (the server computes the same). */
export function planSize(tables) {
  let width = PLAN.minWidth;
  let height = PLAN.minHeight;
  for (const table of tables) {
    width = Math.max(width, table.x + table.width + PLAN.margin);
    height = Math.max(height, table.y + table.height + PLAN.margin);
  }
  return { width: Math.round(width), height: Math.round(height) };
}

/** Scale the plan to its frame (never above 100%); returns the scale used. */
export function fitPlan(plan, size) {
  const scaler = plan.parentElement;
  const frame = scaler.parentElement;
  const style = getComputedStyle(frame);
  const available = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const scale = Math.min(1, available / size.width);
  plan.style.width = `${size.width}px`;
  plan.style.height = `${size.height}px`;
  plan.style.setProperty("--plan-scale", String(scale));
  scaler.style.width = `${size.width * scale}px`;
  scaler.style.height = `${size.height * scale}px`;
  return scale;
}

/** Place a tile at its table's position, size and rotation. */
export function placeTile(tile, table) {
  tile.style.left = `${table.x}px`;
  tile.style.top = `${table.y}px`;
  tile.style.width = `${table.width}px`;
  tile.style.height = `${table.height}px`;
  tile.querySelector(".tile__shape").style.transform = `rotate(${table.rotation}deg)`;
}
