// What every view of the tables shares beside a table's markup (table-fill.js): its animations,
// the status word shortened and times in words, and the counts per status.

import { reducedMotion } from "./notices.js";

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
