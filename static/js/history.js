// A table's latest changes in its dialog, read from `GET /api/tables/<id>/history`; "Show more" reads further back.

import { api } from "./api.js";
import { clockTime } from "./hold-and-notes.js";
import { EVENTS, LIMITS } from "./facts.js";

const FIRST = 5;
const MORE = 10;
const MOST = LIMITS.historyEntries[1];

export class TableHistory {
  constructor(element, labels) {
    this.element = element;
    this.labels = labels;
    this.list = element.querySelector("[data-history-list]");
    this.more = element.querySelector("[data-history-more]");
    this.note = element.querySelector("[data-history-note]");
    this.tableId = null;
    this.limit = FIRST;
    this.asked = 0;
    this.more.addEventListener("click", () => this.load(this.tableId, Math.min(MOST, this.limit + MORE)));
  }

  /** Show the newest `limit` changes of a table (the last answer asked for wins). */
  async load(tableId, limit = FIRST) {
    if (tableId == null) return;
    if (tableId !== this.tableId) this.list.replaceChildren();
    this.tableId = tableId;
    this.limit = limit;
    const asked = ++this.asked;
    this.say("Loading changes…");
    let response;
    try {
      response = await api.history(tableId, limit);
    } catch {
      if (asked === this.asked) this.say("Changes cannot be read while offline.");
      return;
    }
    if (asked !== this.asked) return;
    if (!response.ok) {
      this.say("Changes could not be read.");
      return;
    }
    const events = response.data.events;
    this.list.replaceChildren(...events.map((event) => this.item(event)));
    this.say(events.length ? null : "No changes yet.");
    this.more.hidden = events.length < limit || limit >= MOST;
  }

  say(text) {
    this.note.hidden = !text;
    this.note.textContent = text ?? "";
  }

  item(event) {
    const item = document.createElement("li");
    item.className = "history__item";
    item.dataset.historyEvent = event.event;
    const when = document.createElement("time");
    when.dateTime = event.at;
    when.textContent = new Date(event.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const who = document.createElement("strong");
    who.className = "history__by";
    who.textContent = event.by ?? "someone";
    const what = document.createElement("span");
    what.className = "history__what";
    what.textContent = this.describe(event);
    item.append(when, " ", who, " ", what);
    return item;
  }

  describe(event) {
    const word = (status) => this.labels[status] ?? status;
    if (event.newStatus) {
      const party = event.covers ? ` (${event.covers} covers)` : "";
      const hold = event.reservedUntil ? `, held until ${clockTime(event.reservedUntil)}` : "";
      const notes = "notes" in event ? (event.notes ? `notes “${event.notes}”` : "notes cleared") : "";
      if (event.oldStatus === event.newStatus && notes && !party && !hold) return notes;
      const also = notes ? ` · ${notes}` : "";
      if (event.oldStatus === event.newStatus) return `kept ${word(event.newStatus)}${party}${hold}${also}`;
      const from = event.oldStatus ? `${word(event.oldStatus)} → ` : "";
      return `${from}${word(event.newStatus)}${party}${hold}${also}`;
    }
    if (event.event === EVENTS.TABLE_CREATED) return "added the table";
    const changed = Object.keys(event.changes ?? {});
    return changed.length ? `changed ${changed.join(", ")}` : event.event.replace("table:", "");
  }
}
