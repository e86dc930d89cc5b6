// The layout editor: drag to move, handles to resize and rotate; saved only with the Save button.

import { api, NetworkError, request } from "./api.js";
import { LIMITS } from "./facts.js";
import { LayoutHold } from "./layout-hold.js";
import { overlappingPairs } from "./layout-overlaps.js";
import { fitPlan, placeTile, planSize } from "./plan-scale.js";

const GRID = 5;
const FIELDS = ["x", "y", "width", "height", "rotation"];

const state = JSON.parse(document.getElementById("initial-state").textContent);
const plan = document.getElementById("layout-plan");
const saveButton = document.querySelector("[data-save]");
const discardButton = document.querySelector("[data-discard]");
const unsaved = document.querySelector("[data-unsaved]");
const message = document.querySelector("[data-editor-message]");
const inspectorForm = document.querySelector("[data-inspector-form]");
const inspectorEmpty = document.querySelector("[data-inspector-empty]");
const overlapWarning = document.querySelector("[data-overlap-warning]");
const addForm = document.querySelector("[data-add-table]");
const tileTemplate = document.querySelector("[data-tile-template]");

// Set up at the end of the page's script: refreshDirty reads it (null until then).
let hold = null;
let saved = new Map(state.tables.map((table) => [table.tableId, { ...table }]));
const tables = new Map(state.tables.map((table) => [table.tableId, { ...table }]));
let selected = null;
let leaving = false;
let scale = 1;

const clamp = (field, value) => Math.min(LIMITS[field][1], Math.max(LIMITS[field][0], value));
const snap = (value) => Math.round(value / GRID) * GRID;
const tileOf = (tableId) => plan.querySelector(`[data-table-id="${tableId}"]`);

function changedIds() {
  return [...tables.values()]
    .filter((table) => FIELDS.some((field) => table[field] !== saved.get(table.tableId)[field]))
    .map((table) => table.tableId);
}

function refreshDirty() {
  const dirty = changedIds();
  unsaved.hidden = dirty.length === 0;
  unsaved.textContent = dirty.length === 1 ? "Unsaved changes (1 table)" : `Unsaved changes (${dirty.length} tables)`;
  saveButton.disabled = dirty.length === 0 || !hold?.held;
  discardButton.disabled = dirty.length === 0;
  for (const table of tables.values()) tileOf(table.tableId)?.classList.toggle("is-moved", dirty.includes(table.tableId));
  markOverlaps();
}

// Overlapping tables are marked on the plan and named beside it as soon as they touch.
function markOverlaps() {
  const pairs = overlappingPairs([...tables.values()]);
  const involved = new Set(pairs.flat().map((table) => table.tableId));
  for (const tile of plan.querySelectorAll("[data-table-id]")) {
    const on = involved.has(Number(tile.dataset.tableId));
    tile.classList.toggle("is-overlapping", on);
    if (on) tile.dataset.overlapping = "true";
    else delete tile.dataset.overlapping;
  }
  overlapWarning.hidden = pairs.length === 0;
  overlapWarning.textContent = pairs.length ? `These tables overlap: ${describePairs(pairs)}.` : "";
  return pairs;
}

const describePairs = (pairs) => pairs.map(([a, b]) => `${a.tableNumber} and ${b.tableNumber}`).join("; ");

function refit() {
  scale = fitPlan(plan, planSize([...tables.values()]));
  // Handles keep their size on screen whatever the plan's scale (manage.css).
  plan.style.setProperty("--editor-scale", String(scale));
}

function update(tableId, changes) {
  const table = tables.get(tableId);
  for (const [field, value] of Object.entries(changes)) table[field] = clamp(field, value);
  placeTile(tileOf(tableId), table);
  if (tableId === selected) fillInspector();
  refreshDirty();
}

function select(tableId) {
  selected = tableId;
  for (const tile of plan.querySelectorAll("[data-table-id]")) {
    const on = Number(tile.dataset.tableId) === tableId;
    tile.classList.toggle("is-selected", on);
    tile.setAttribute("aria-pressed", String(on));
  }
  inspectorForm.hidden = tableId == null;
  inspectorEmpty.hidden = tableId != null;
  if (tableId != null) fillInspector();
}

function fillInspector() {
  const table = tables.get(selected);
  inspectorForm.querySelector("[data-inspector-title]").textContent = table.tableNumber;
  for (const field of FIELDS) {
    const input = inspectorForm.querySelector(`[data-inspect="${field}"]`);
    if (document.activeElement !== input) input.value = Math.round(table[field]);
  }
}

// Pointer gestures: move the tile, or resize / rotate from its handles.
let gesture = null;
const pointerAngle = (event, centre) => (Math.atan2(event.clientY - centre.y, event.clientX - centre.x) * 180) / Math.PI;

plan.addEventListener("pointerdown", (event) => {
  const tile = event.target.closest("[data-table-id]");
  if (!tile) {
    select(null);
    return;
  }
  const tableId = Number(tile.dataset.tableId);
  select(tableId);
  const table = tables.get(tableId);
  const box = tile.getBoundingClientRect();
  gesture = {
    tableId,
    mode: event.target.dataset.handle || "move",
    startX: event.clientX,
    startY: event.clientY,
    start: { ...table },
    centre: { x: box.left + box.width / 2, y: box.top + box.height / 2 },
  };
  gesture.startAngle = pointerAngle(event, gesture.centre);
  tile.setPointerCapture(event.pointerId);
  tile.classList.add("is-dragging");
  event.preventDefault();
  // preventDefault keeps the page from scrolling or selecting text, and also from focusing: focus
  // the table by hand so arrow keys and [ ] act on the table just picked.
  tile.focus({ preventScroll: true });
});

plan.addEventListener("pointermove", (event) => {
  if (!gesture) return;
  const dx = (event.clientX - gesture.startX) / scale;
  const dy = (event.clientY - gesture.startY) / scale;
  const { start } = gesture;
  if (gesture.mode === "move") {
    update(gesture.tableId, { x: snap(start.x + dx), y: snap(start.y + dy) });
  } else if (gesture.mode === "resize") {
    update(gesture.tableId, { width: snap(start.width + dx), height: snap(start.height + dy) });
  } else {
    // Turned by as much as the pointer has turned about the table's centre since the handle was taken.
    const turned = pointerAngle(event, gesture.centre) - gesture.startAngle;
    update(gesture.tableId, { rotation: normalise(snap(start.rotation + turned)) });
  }
});

function endGesture() {
  if (!gesture) return;
  tileOf(gesture.tableId)?.classList.remove("is-dragging");
  gesture = null;
  refit();
}
plan.addEventListener("pointerup", endGesture);
plan.addEventListener("pointercancel", endGesture);

const normalise = (angle) => {
  const turned = ((angle % 360) + 360) % 360;
  return turned > 180 ? turned - 360 : turned;
};

// Keyboard: arrows move the selected table (Shift for bigger steps), [ and ] rotate it.
plan.addEventListener("keydown", (event) => {
  const tile = event.target.closest("[data-table-id]");
  if (!tile) return;
  const tableId = Number(tile.dataset.tableId);
  const table = tables.get(tableId);
  const step = event.shiftKey ? 20 : GRID;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (event.key === "Enter" || event.key === " ") {
    select(tableId);
  } else if (moves[event.key]) {
    select(tableId);
    update(tableId, { x: table.x + moves[event.key][0], y: table.y + moves[event.key][1] });
  } else if (event.key === "[" || event.key === "]") {
    select(tableId);
    update(tableId, { rotation: normalise(table.rotation + (event.key === "]" ? 15 : -15)) });
  } else {
    return;
  }
  event.preventDefault();
});

inspectorForm.addEventListener("input", (event) => {
  const field = event.target.dataset.inspect;
  const value = Number(event.target.value);
  if (!field || selected == null || Number.isNaN(value) || event.target.value === "") return;
  update(selected, { [field]: value });
});
inspectorForm.addEventListener("submit", (event) => event.preventDefault());
inspectorForm.querySelectorAll("[data-rotate-by]").forEach((button) =>
  button.addEventListener("click", () => {
    const table = tables.get(selected);
    update(selected, { rotation: normalise(table.rotation + Number(button.dataset.rotateBy)) });
  }),
);

function say(text, isError = false) {
  message.hidden = !text;
  message.textContent = text;
  message.classList.toggle("is-error", isError);
}

saveButton.addEventListener("click", async () => {
  const positions = changedIds().map((tableId) => {
    const table = tables.get(tableId);
    return { tableId, ...Object.fromEntries(FIELDS.map((field) => [field, table[field]])) };
  });
  if (!positions.length) return;
  const moved = new Set(positions.map((position) => position.tableId));
  const clashes = markOverlaps().filter(([a, b]) => moved.has(a.tableId) || moved.has(b.tableId));
  if (clashes.length && !window.confirm(`${describePairs(clashes)} overlap. Save the layout anyway?`)) {
    say("Not saved: the marked tables overlap.", true);
    return;
  }
  saveButton.disabled = true;
  say("Saving...");
  let response;
  try {
    response = await api.saveLayout(state.floor, positions, hold.editor);
  } catch {
    say("Could not reach the server; your changes are still here. Try Save again.", true);
    refreshDirty();
    return;
  }
  if (response.ok) {
    saved = new Map(response.data.map((table) => [table.tableId, { ...table }]));
    for (const table of response.data) tables.set(table.tableId, { ...tables.get(table.tableId), ...table });
    say(`Layout saved (${positions.length} table${positions.length === 1 ? "" : "s"}).`);
  } else {
    const fields = Object.values(response.data?.fields || {}).join(" ");
    say(`Not saved: ${response.data?.message || `error ${response.status}`} ${fields}`.trim(), true);
  }
  refreshDirty();
});

discardButton.addEventListener("click", () => {
  for (const [tableId, table] of saved) update(tableId, FIELDS.reduce((all, f) => ({ ...all, [f]: table[f] }), {}));
  say("Changes discarded.");
  refit();
});

// Leaving with unsaved changes: ask first, for the floor tabs and Done, and the browser warns on unload.
for (const link of document.querySelectorAll(".floor-tabs [data-floor], [data-leave-editor], .topnav a")) {
  link.addEventListener("click", (event) => {
    if (!changedIds().length) return;
    if (window.confirm("You have unsaved layout changes. Leave without saving them?")) leaving = true;
    else event.preventDefault();
  });
}
window.addEventListener("beforeunload", (event) => {
  if (leaving || !changedIds().length) return;
  event.preventDefault();
  event.returnValue = "";
});

// Adding a table: created at once through the API, at a free spot the server picks, then shown here.
function addTile(table) {
  const tile = tileTemplate.content.firstElementChild.cloneNode(true);
  tile.dataset.tableId = String(table.tableId);
  tile.dataset.status = table.status;
  tile.dataset.shape = table.shape;
  tile.setAttribute("aria-label", `${table.tableNumber}, ${table.capacity} seats`);
  tile.querySelector(".tile__number").textContent = table.tableNumber;
  tile.querySelector(".tile__seats").textContent = `${table.capacity} seats`;
  plan.append(tile);
  placeTile(tile, table);
}

function showAddErrors(errors) {
  for (const slot of addForm.querySelectorAll("[data-add-error]")) {
    const text = errors[slot.dataset.addError] || "";
    slot.textContent = text;
    slot.hidden = !text;
    addForm.querySelector(`[name="${slot.dataset.addError}"]`)?.setAttribute("aria-invalid", String(Boolean(text)));
  }
}

addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(addForm);
  const body = {
    tableNumber: String(form.get("tableNumber")).trim(),
    capacity: Number(form.get("capacity")) || form.get("capacity"),
    shape: form.get("shape"),
    floor: state.floor,
  };
  let response;
  try {
    response = await request("POST", "/api/tables", { body });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    showAddErrors({ form: "Could not reach the server; the table was not added. Try again." });
    return;
  }
  if (!response.ok) {
    const fields = response.data?.fields || {};
    const known = Object.fromEntries(Object.entries(fields).filter(([name]) => name === "tableNumber" || name === "capacity"));
    const rest = Object.keys(fields).length > Object.keys(known).length || !Object.keys(fields).length;
    showAddErrors({ ...known, form: rest ? response.data?.message || `Not added (error ${response.status}).` : "" });
    return;
  }
  const table = response.data;
  showAddErrors({});
  saved.set(table.tableId, { ...table });
  tables.set(table.tableId, { ...table });
  addTile(table);
  document.querySelector("[data-plan-empty]")?.remove();
  addForm.reset();
  refit();
  select(table.tableId);
  refreshDirty();
  say(`Table ${table.tableNumber} added at a free spot.`);
  tileOf(table.tableId).focus();
});

window.addEventListener("resize", refit);
document.documentElement.classList.add("js");
refit();
refreshDirty();

const holdBanner = document.querySelector("[data-layout-hold]");
if (holdBanner && state.floor != null) {
  hold = new LayoutHold({ floor: state.floor, banner: holdBanner, onChange: () => refreshDirty() });
  hold.take();
  window.layoutHold = hold; // for people (and tests) looking at a page: who holds what

}
