// Drawing one table, as a floor-plan tile or a list row, from the store's view of it.

import { reducedMotion } from "./notices.js";
import { coversText, showTimer } from "./service.js";

export function statusBadge(status, labels) {
  const badge = document.createElement("span");
  badge.className = `badge badge--${status}`;
  const icon = document.createElement("span");
  icon.className = "badge__icon";
  icon.setAttribute("aria-hidden", "true");
  badge.append(icon, labels[status]);
  return badge;
}

function span(className, text = "") {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

/** A new tile; the same markup the server renders. */
export function createTile(table) {
  const tile = document.createElement("button");
  tile.type = "button";
  tile.dataset.tableId = table.tableId;
  const shape = span("tile__shape");
  shape.setAttribute("aria-hidden", "true");
  const label = span("tile__label");
  const status = span("tile__status");
  status.append(span("tile__word"));
  label.append(span("tile__number"), span("tile__seats"), status);
  const service = span("tile__service");
  const covers = span("tile__covers");
  covers.dataset.covers = "";
  const timer = span("tile__timer");
  timer.dataset.timer = "";
  service.append(covers, timer);
  const assignee = span("tile__assignee");
  assignee.dataset.assignee = "";
  tile.append(shape, label, service, assignee);
  return tile;
}

const STATUSES = ["available", "occupied", "reserved", "maintenance"];

/** Set the shape and status classes, leaving any running animation class alone. */
export function setStatusClasses(element, base, table) {
  element.classList.add(base);
  for (const status of STATUSES) element.classList.toggle(`status-${status}`, status === table.status);
  element.dataset.status = table.status;
}

/** Bring a tile's words, status and pending marker up to date. */
export function updateTile(tile, table, labels) {
  setStatusClasses(tile, "tile", table);
  tile.classList.toggle("tile--round", table.shape === "round");
  tile.classList.toggle("tile--rect", table.shape !== "round");
  setPending(tile, table);
  tile.querySelector(".tile__number").textContent = table.tableNumber;
  tile.querySelector(".tile__seats").textContent = `${table.capacity} seats`;
  tile.querySelector(".tile__word").textContent = labels[table.status];
  tile.querySelector(".tile__status").dataset.short = shortLabel(labels[table.status]);
  const waiting = table.pendingState === "queued" ? ", waiting to sync" : "";
  const service = showService(tile, table);
  tile.setAttribute("aria-label", `${table.tableNumber}, ${table.capacity} seats, ${labels[table.status]}${service}${waiting}`);
}

/** Covers, the seated or hold timer and the assignee's initials on a table's element; returns them in words. */
export function showService(element, table) {
  const covers = element.querySelector("[data-covers]");
  const timer = element.querySelector("[data-timer]");
  const assignee = element.querySelector("[data-assignee]");
  const party = coversText(table);
  covers.textContent = party;
  covers.hidden = !party;
  showTimer(timer, element, table);
  const who = table.assignee;
  assignee.textContent = who?.initials ?? "";
  assignee.title = who ? `Looked after by ${who.username}` : "";
  assignee.hidden = !who;
  if (who) element.dataset.assigneeId = who.userId;
  else delete element.dataset.assigneeId;
  const service = element.querySelector(".tile__service");
  if (service) service.hidden = !party && timer.hidden;
  // The ticking timer is read out with the table through aria-describedby, so the label itself stays still.
  timer.id = `timer-${element.tagName === "TR" ? "row" : "tile"}-${table.tableId}`;
  if (timer.hidden) element.removeAttribute("aria-describedby");
  else element.setAttribute("aria-describedby", timer.id);
  const words = [party && `${table.covers} covers`, who && `looked after by ${who.username}`];
  return words.filter(Boolean).map((word) => `, ${word}`).join("");
}

export function setPending(element, table) {
  if (table.pendingState === "queued") element.dataset.pending = "true";
  else delete element.dataset.pending;
}

/** Run a one-off animation class, skipped when the user prefers less motion. */
export function flash(element, className) {
  if (reducedMotion()) return;
  element.classList.remove(className);
  void element.offsetWidth; // restart the animation
  element.classList.add(className);
  element.addEventListener("animationend", () => element.classList.remove(className), { once: true });
}

/** Fade an element out, then remove it. */
export function fadeOut(element) {
  if (reducedMotion()) {
    element.remove();
    return;
  }
  element.classList.add("is-leaving");
  element.removeAttribute("data-table-id");
  const done = () => element.remove();
  element.addEventListener("animationend", done, { once: true });
  setTimeout(done, 700);
}

/** The status word as a narrow table shows it (drawn by CSS from data-short): cut after its fifth letter ("Maint."). */
export function shortLabel(word) {
  return word.length > 6 ? `${word.slice(0, 5)}.` : word;
}

/** "just now", "12 min ago", "1 h 5 min ago"; `now` lets the ticker pass one clock to every text. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return "";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  // A day or more: the day and the time it began, short enough for a phone's list (no seconds or year).
  return new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** Update the counts per status from the tables given. */
export function renderCounts(tables, { animate = true } = {}) {
  const counts = { available: 0, occupied: 0, reserved: 0, maintenance: 0 };
  for (const table of tables) counts[table.status] += 1;
  for (const [status, count] of Object.entries(counts)) {
    const item = document.querySelector(`[data-count="${status}"]`);
    const value = item?.querySelector("[data-count-value]");
    if (!value || value.textContent === String(count)) continue;
    value.textContent = String(count);
    if (animate) flash(item, "is-bumped");
  }
}
