// The tables the page knows, the changes the user has not had confirmed, and which events are applied.

import { TABLE_FIELDS } from "./facts.js";

const num = (eventId) => (eventId == null ? 0 : Number(eventId) || 0);

/** The table's own fields among what an event or an answer carries (an event adds its eventId, who made it...). */
export const tableFields = (data) =>
  Object.fromEntries(TABLE_FIELDS.filter((name) => name in data).map((name) => [name, data[name]]));

export class TableStore {
  constructor(tables, lastEventId) {
    this.tables = new Map();
    this.pending = new Map(); // tableId -> {status, covers, notes?, reservedUntil?, state: "sending" | "queued"}
    this.listeners = new Set();
    for (const table of tables) this.tables.set(table.tableId, { ...table });
    this.resetEvents(lastEventId);
  }

  /** Everything up to `lastEventId` is reflected in the tables held. */
  resetEvents(lastEventId) {
    this.mark = num(lastEventId);
    this.newest = this.mark;
    this.seen = new Set();
  }

  /** True for an event not applied yet: newer than the snapshot and not seen since. */
  isNew(eventId) {
    const id = num(eventId);
    return id > this.mark && !this.seen.has(id);
  }

  markApplied(eventId) {
    const id = num(eventId);
    this.seen.add(id);
    this.newest = Math.max(this.newest, id);
    if (this.seen.size > 2000) {
      // Old ids can no longer arrive out of order; keep the set small.
      this.mark = Math.max(this.mark, this.newest - 1000);
      for (const seen of this.seen) if (seen <= this.mark) this.seen.delete(seen);
    }
  }

  /** The id to sync from: the newest event applied. */
  get lastEventId() {
    return this.newest ? String(this.newest) : null;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(change) {
    for (const listener of this.listeners) listener(change);
  }

  get(tableId) {
    return this.tables.get(tableId);
  }

  all() {
    return [...this.tables.values()];
  }

  /** The table as the user should see it: their unconfirmed status over the server's. */
  view(tableId) {
    const table = this.tables.get(tableId);
    if (!table) return null;
    const pending = this.pending.get(tableId);
    if (!pending) return table;
    const covers = pending.status !== "occupied" ? null : (pending.covers ?? table.covers ?? null);
    const shown = { ...table, status: pending.status, covers, pendingState: pending.state };
    // A status picked offline runs its timer from the tap ("0 min" at once), as the server will record it.
    if (pending.tappedAt && pending.status !== table.status) shown.statusChangedAt = pending.tappedAt;
    if (pending.notes !== undefined) shown.notes = pending.notes;
    if (pending.status !== "reserved") shown.reservedUntil = null;
    else if (pending.reservedUntil !== undefined) shown.reservedUntil = pending.reservedUntil;
    return shown;
  }

  views() {
    return this.all().map((table) => this.view(table.tableId));
  }

  /** Replace every table (a snapshot); returns how many tables differ from before. */
  replaceAll(tables, meta = {}) {
    const before = this.tables;
    this.tables = new Map(tables.map((table) => [table.tableId, { ...table }]));
    let differences = 0;
    for (const [id, table] of this.tables) {
      const old = before.get(id);
      if (!old || old.version !== table.version || old.status !== table.status) differences += 1;
    }
    for (const id of before.keys()) if (!this.tables.has(id)) differences += 1;
    this.notify({ kind: "reset", ...meta });
    return differences;
  }

  upsert(table, meta = {}) {
    const previous = this.tables.get(table.tableId);
    this.tables.set(table.tableId, { ...(previous || {}), ...tableFields(table) });
    this.notify({ kind: previous ? "changed" : "added", id: table.tableId, previous, ...meta });
  }

  patch(tableId, changes, meta = {}) {
    const previous = this.tables.get(tableId);
    if (!previous) return;
    this.tables.set(tableId, { ...previous, ...changes });
    this.notify({ kind: "changed", id: tableId, previous, ...meta });
  }

  remove(tableId, meta = {}) {
    const previous = this.tables.get(tableId);
    if (!previous) return;
    this.tables.delete(tableId);
    this.pending.delete(tableId);
    this.notify({ kind: "removed", id: tableId, previous, ...meta });
  }

  /** Apply a table the server returned, unless events already brought something newer (a re-seat keeps the version). */
  acceptServerTable(table, meta = {}) {
    const held = this.tables.get(table.tableId);
    if (!held || table.version >= held.version) this.upsert(table, meta);
  }

  /** Show a change the server has not confirmed: `change` is {status, covers, notes?, reservedUntil?}. */
  setPending(tableId, change, state) {
    const previous = this.view(tableId);
    this.pending.set(tableId, { covers: null, ...change, state });
    this.notify({ kind: "changed", id: tableId, previous, local: true });
  }

  clearPending(tableId) {
    if (!this.pending.has(tableId)) return;
    const previous = this.view(tableId);
    this.pending.delete(tableId);
    this.notify({ kind: "changed", id: tableId, previous, local: true });
  }
}
