// The dialog's hold picker and notes editor: reserve with a hold in one tap (15, 30 or 60 minutes, or
// until a time), change or end a reserved table's hold, and type the table's notes. Every change goes
// through the dialog's one pick, the same path (conflicts, offline queue, refusals) as a status.

import { timerText } from "./service.js";
import { tickEvery } from "./ticker.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PAST_AT_MOST = 12 * 60 * MINUTE; // a time this much earlier today is a mistake, not tomorrow's

/** The next moment at time of day "HH:MM" after `now`: today, or tomorrow past midnight; null if it passed earlier today. */
export function nextTimeOfDay(value, now = Date.now()) {
  const match = /^(\d{1,2}):(\d{2})/.exec(value ?? "");
  if (!match) return null;
  const until = new Date(now);
  until.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (until.getTime() > now) return until;
  if (now - until.getTime() < PAST_AT_MOST) return null;
  return new Date(until.getTime() + DAY);
}

/** "19:30", or "Fri 00:15" when the hold ends on another day. */
export function clockTime(iso, now = Date.now()) {
  const when = new Date(iso);
  const time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (when.toDateString() === new Date(now).toDateString()) return time;
  return `${when.toLocaleDateString([], { weekday: "short" })} ${time}`;
}

/** "28 min left" for a hold ending at `until`, "Hold ended" once it has passed. */
export const holdLeft = (until, now = Date.now()) => timerText({ status: "reserved", reservedUntil: until }, now).text;

export class HoldAndNotes {
  /** pick(status, details) sends a change; say(text) shows a message in the dialog. */
  constructor(dialog, { pick, say }) {
    const find = (selector) => dialog.querySelector(selector);
    this.picker = find("[data-hold-picker]");
    this.notesForm = find("[data-notes-form]");
    this.tableId = null;
    this.saved = "";
    this.typed = false; // the person typed in the notes since the dialog opened: a redraw keeps their words
    tickEvery("[data-hold-left]", (element, now) => (element.dataset.until ? holdLeft(element.dataset.until, now) : ""));
    if (!this.picker || !this.notesForm) return; // a viewer's dialog: nothing to change
    this.label = find("[data-hold-label]");
    this.untilForm = find("[data-hold-until-form]");
    this.noHold = find('[data-hold-minutes="none"]');
    this.notes = this.notesForm.elements.notes;
    this.count = find("[data-notes-count]");
    this.status = null;

    this.picker.addEventListener("click", (event) => {
      const chip = event.target.closest("[data-hold-minutes]");
      const choice = chip?.dataset.holdMinutes;
      if (!choice) return;
      if (choice === "until") {
        this.untilForm.hidden = false;
        this.untilForm.elements.until.focus();
      } else if (choice === "none") pick("reserved", { reservedUntil: null });
      else pick("reserved", { reservedUntil: new Date(Date.now() + Number(choice) * MINUTE).toISOString() });
    });
    this.untilForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = this.untilForm.elements.until.value;
      const until = nextTimeOfDay(value);
      if (!until) say(`${value || "That time"} has passed today: pick a later time.`);
      else pick("reserved", { reservedUntil: until.toISOString() });
    });
    this.notesForm.addEventListener("submit", (event) => {
      event.preventDefault();
      pick(this.status, { notes: this.notes.value.trim() || null });
    });
    this.notes.addEventListener("input", () => {
      this.typed = true;
      this.countNotes();
    });
    dialog.addEventListener("close", () => {
      this.typed = false;
      this.tableId = null;
    });
  }

  /** Show a table's hold choices and notes; notes the person is typing for the same table are kept. */
  show(table) {
    if (!this.picker) return;
    const reserved = table.status === "reserved";
    this.status = table.status;
    this.label.textContent = reserved ? "Change the hold" : "Reserve, holding it for";
    this.noHold.hidden = !(reserved && table.reservedUntil);
    for (const control of [...this.picker.querySelectorAll("button"), ...this.notesForm.querySelectorAll("button")]) control.disabled = false;
    this.untilForm.hidden = true;
    this.untilForm.elements.until.value = "";
    if (table.tableId !== this.tableId) this.typed = false;
    this.tableId = table.tableId;
    this.saved = table.notes ?? "";
    if (!this.typed) this.notes.value = this.saved;
    this.countNotes();
  }

  /** Notes typed and not saved yet, which a status pick takes along; undefined when unchanged. */
  draftNotes() {
    if (!this.notes) return undefined;
    const typed = this.notes.value.trim();
    return typed === this.saved.trim() ? undefined : typed || null;
  }

  countNotes() {
    this.count.textContent = `${this.notes.value.length}/${this.notes.maxLength}`;
  }
}
