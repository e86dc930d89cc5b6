// Service on the floor: seated timers against each floor's turn time, hold countdowns, covers and the summary.

import { line } from "./door.js";

const turns = new Map(); // floor -> turnMinutes

/** Remember each floor's turn time (from the page's state, a snapshot or a floor's update event). */
export function setTurnMinutes(floors) {
  for (const entry of floors ?? []) if (entry.turnMinutes) turns.set(entry.floor, entry.turnMinutes);
}

export const turnMinutes = (floor) => turns.get(floor) ?? 90;

const sittings = new Map(); // floor -> {size: minutes}, from the floor's history (app/services/sitting_times.py)

/** Remember how long parties of each size sit on each floor (the page's state: {floor: {size: minutes}}). */
export function setSittingMinutes(byFloor) {
  for (const [floor, sizes] of Object.entries(byFloor ?? {})) sittings.set(Number(floor), sizes);
}

/** Minutes a party of `size` is expected to sit on `floor`: its history, else the floor's turn time. */
export const sittingMinutes = (floor, size) => sittings.get(floor)?.[size] ?? turnMinutes(floor);

/** When a seated table is likely free (a Date), or null: its seating plus how long parties of its covers sit there. */
export function likelyFreeAt(table) {
  if (table.status !== "occupied" || !table.statusChangedAt) return null;
  return new Date(Date.parse(table.statusChangedAt) + sittingMinutes(table.floor, table.covers ?? table.capacity) * 60000);
}

/** "likely free ~20:40" in the viewer's own time, or "" for a table that is not seated. */
export function likelyFreeText(table) {
  const at = likelyFreeAt(table);
  return at ? `likely free ~${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : "";
}

const wholeMinutes = (from, to) => Math.max(0, Math.floor((to - from) / 60000));

/** What a table's timer says now: {text, overdue}; text is "" when the table has nothing to time. */
export function timerText(table, now = Date.now()) {
  if (table.status === "occupied" && table.statusChangedAt) {
    const minutes = wholeMinutes(Date.parse(table.statusChangedAt), now);
    // "Longer than the turn" in the whole minutes shown: 30:59 of a 30-minute turn reads "30 min", not overdue.
    const overdue = minutes > turnMinutes(table.floor);
    return { text: overdue ? `${minutes} min · Overdue` : `${minutes} min`, overdue };
  }
  if (table.status === "reserved" && table.reservedUntil) {
    const left = Math.ceil((Date.parse(table.reservedUntil) - now) / 60000);
    return { text: left > 0 ? `${left} min left` : "Hold ended", overdue: false };
  }
  return { text: "", overdue: false };
}

/** Write a table's timer into `element` ([data-timer]) and mark the table's element overdue or not. */
export function showTimer(element, owner, table, now = Date.now()) {
  // Named apart from the table's own data-status and data-floor, which tools and tests look for.
  element.dataset.timerStatus = table.status;
  element.dataset.timerFloor = table.floor;
  element.dataset.timerStart = table.statusChangedAt ?? "";
  element.dataset.timerUntil = table.reservedUntil ?? "";
  const { text, overdue } = timerText(table, now);
  element.textContent = text;
  element.hidden = !text;
  markOverdue(owner, overdue);
}

function markOverdue(owner, overdue) {
  if (!owner) return;
  if (overdue && owner.dataset.overdue !== "true") owner.dataset.overdue = "true";
  else if (!overdue && owner.dataset.overdue) delete owner.dataset.overdue;
}

/** The ticker's formatter for [data-timer]: reads what showTimer left on the element. */
export function tickTimer(element, now) {
  const table = {
    status: element.dataset.timerStatus,
    floor: Number(element.dataset.timerFloor),
    statusChangedAt: element.dataset.timerStart || null,
    reservedUntil: element.dataset.timerUntil || null,
  };
  const { text, overdue } = timerText(table, now);
  markOverdue(element.closest("[data-table-id]"), overdue);
  return text;
}

/** "4/6" for a seated party, else "" . */
export const coversText = (table) => (table.status === "occupied" && table.covers ? `${table.covers}/${table.capacity}` : "");

/** The figures of `[data-summary]`, as `GET /api/summary` gives them. */
export function summarize(tables) {
  const summary = { tables: { available: 0, occupied: 0, reserved: 0, maintenance: 0 }, seats: 0, occupiedSeats: 0, covers: 0 };
  for (const table of tables) {
    summary.tables[table.status] += 1;
    summary.seats += table.capacity;
    if (table.status === "occupied") {
      summary.occupiedSeats += table.capacity;
      summary.covers += table.covers ?? 0;
    }
  }
  return summary;
}

/** Fill the summary bar (if the page has one) from the tables given, and the line at the door. */
export function renderSummary(tables) {
  const summary = summarize(tables);
  fillSummary({ ...summary.tables, tables: tables.length, seats: summary.seats, occupiedSeats: summary.occupiedSeats, covers: summary.covers });
  fillSummary(line.figures());
}

function fillSummary(values) {
  const bar = document.querySelector("[data-summary]");
  if (!bar) return;
  for (const [key, value] of Object.entries(values)) {
    bar.dataset[key] = String(value);
    const slot = bar.querySelector(`[data-summary-value="${key}"]`);
    if (slot && slot.textContent !== String(value)) slot.textContent = String(value);
  }
}

// The line changes with the door's events, whatever the tables do.
line.subscribe(() => fillSummary(line.figures()));
