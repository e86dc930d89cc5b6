// Changing a table's status: shown at once, confirmed by the server, queued when it cannot be reached.

import { api, newKey, sendOrNull } from "./api.js";
import { MESSAGES, STATUS_SPACING_MS } from "./facts.js";
import { hideNotice, showNotice } from "./notices.js";
import { oneTabAtATime, saySent } from "./offline-queue.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The status request for a change: covers go with a seating only, a hold with a reservation only.
 * A change sent from the queue carries when it was tapped (`tappedAt`), recorded as its time by the
 * server; one sent at once does not, so a device clock that runs slow cannot date it.
 */
function statusBody({ status, expectedStatus, covers, partyId, notes, reservedUntil, tappedAt }, { queued = false } = {}) {
  const body = { status, expectedStatus };
  if (queued && tappedAt) body.tappedAt = tappedAt;
  if (status === "occupied" && covers != null) body.covers = covers;
  if (status === "occupied" && partyId != null) body.partyId = partyId;
  if (notes !== undefined) body.notes = notes;
  if (status === "reserved" && reservedUntil !== undefined) body.reservedUntil = reservedUntil;
  return body;
}

/** What a change shows on its table until the server confirms it. */
const shownChange = ({ status, covers, notes, reservedUntil }) => ({ status, covers, notes, reservedUntil });
const sameTime = (a, b) => (a && b ? Date.parse(a) === Date.parse(b) : !a && !b);

/** A change that only edits the notes, keeping the status the person saw. */
export const notesOnly = (change) =>
  change.status === change.expectedStatus && change.notes !== undefined && change.reservedUntil === undefined && change.covers == null;

/** The words and the two answers of a conflict, for its notice and for the table's dialog. */
export function conflictWords(conflict, labels) {
  const who = conflict.by || "someone else";
  const theirs = labels[conflict.theirs];
  if (conflict.notesOnly) {
    return {
      text: `${conflict.tableNumber} was changed by ${who}: it is ${theirs} now. Save your notes anyway?`,
      keep: "Discard my notes",
      use: "Save my notes",
    };
  }
  const mine = labels[conflict.mine];
  return {
    text: `${conflict.tableNumber} was changed by ${who}: it is ${theirs} now, and you chose ${mine}.`,
    keep: `Keep ${theirs}`,
    use: `Use ${mine}`,
  };
}
export class StatusActions extends EventTarget {
  constructor({ store, queue, labels, isOnline }) {
    super();
    this.store = store;
    this.queue = queue;
    this.labels = labels;
    this.isOnline = isOnline;
    this.flushing = false;
    this.retryTimer = null;
  }

  /** Mark every queued change on its table again, e.g. after a reload or a snapshot. */
  showQueued() {
    for (const entry of this.queue.entries()) {
      const { tableId } = entry;
      if (this.store.get(tableId)) this.store.setPending(tableId, this.queue.pendingFor(tableId), "queued");
    }
  }

  /**
   * Ask for `status`, sending the status the person saw (`expectedStatus`, by default what the
   * page shows now), so a change made meanwhile by someone else is asked about, never overwritten.
   * `notes` and `reservedUntil` (a hold, with `reserved` only) go with it when given; left out, they stay.
   * Whatever the outcome, the person hears about it; returns "saved", "queued", "refused" or "conflict".
   * The outcome names the table as it was shown before (`before`), which an undo goes back to;
   * `undo` marks a change that is itself an undo.
   */
  async change(tableId, status, { expectedStatus, covers = null, partyId = null, notes, reservedUntil, undo = false } = {}) {
    const shown = this.store.view(tableId);
    if (!shown) return "refused";
    const seen = expectedStatus ?? shown.status;
    const party = status === "occupied" ? covers : null;
    const entry = {
      key: newKey(),
      tableId,
      tableNumber: shown.tableNumber,
      status,
      expectedStatus: seen,
      covers: party,
      partyId: status === "occupied" ? partyId : null,
      tappedAt: new Date().toISOString(),
      before: shown,
      undo,
    };
    if (notes !== undefined) entry.notes = notes || null;
    if (status === "reserved" && reservedUntil !== undefined) entry.reservedUntil = reservedUntil;
    const unchanged =
      seen === status &&
      shown.status === status &&
      (party == null || party === shown.covers) &&
      (entry.notes === undefined || entry.notes === (shown.notes ?? null)) &&
      (entry.reservedUntil === undefined || sameTime(entry.reservedUntil, shown.reservedUntil));
    if (unchanged) return "saved";
    if (!this.isOnline() || this.queue.latestFor(tableId)) return this.enqueue(entry);
    this.store.setPending(tableId, shownChange(entry), "sending");
    const response = await sendOrNull(() => api.changeStatus(tableId, statusBody(entry), entry.key));
    return response ? this.settle(entry, response) : this.enqueue({ ...entry, attempted: true });
  }

  enqueue(entry) {
    const { before, undo, ...kept } = entry; // what the page showed is not kept with the change
    this.queue.add(kept);
    const waiting = this.queue.pendingFor(entry.tableId);
    if (waiting) this.store.setPending(entry.tableId, waiting, "queued");
    else this.store.clearPending(entry.tableId);
    this.report("queued", entry);
    if (this.isOnline()) this.flush();
    return "queued";
  }

  /** Apply the server's answer to one change. */
  settle(entry, response) {
    if (response.status !== 401 || !this.queue.latestFor(entry.tableId)) this.store.clearPending(entry.tableId);
    if (response.ok) {
      this.store.acceptServerTable(response.data, { local: true });
      this.report("saved", entry);
      return "saved";
    }
    const data = response.data || {};
    if (response.status === 409 && data.table) {
      // The server names who changed it; an older server does not, and then this page may know.
      const held = this.store.get(entry.tableId);
      const by = data.changedBy || (held && held.version >= data.table.version ? held.changedBy : null);
      this.store.acceptServerTable(data.table, { local: true });
      this.conflict({ ...entry, by }, data.table);
      return "conflict";
    } else if (response.status === 429 || data.error === "rate_limited") {
      showNotice("rate-limited", MESSAGES.rateLimited, { kind: "error", role: "alert", timeout: 5000 });
      this.report("refused", entry, MESSAGES.rateLimited);
    } else if (response.status === 401) {
      showNotice("session-ended", MESSAGES.sessionEnded, {
        kind: "error",
        actions: [{ label: "Sign in", primary: true, onClick: () => window.location.reload() }],
      });
      this.report("refused", entry, MESSAGES.sessionEnded);
    } else if (response.status === 404) {
      this.gone(entry, data.message);
    } else {
      // A refused field says what is wrong with it (e.g. notes too long), more than "Some fields are not valid."
      const reason = data.fields ? Object.values(data.fields).join(" ") : data.message;
      const message = `${entry.tableNumber} was not changed: ${reason || `error ${response.status}`}`;
      showNotice(`refused-${entry.tableId}`, message, { kind: "error", role: "alert", timeout: 8000 });
      this.report("refused", entry, message);
    }
    return "refused";
  }

  /**
   * The table was deleted, perhaps while this change waited offline. Ids are never reused, so the
   * change can land on no other table: it is dropped, and the notice stays until it is dismissed.
   */
  gone(entry, reason) {
    // The server names who deleted it while its log remembers; the person knows the table by its number.
    const what = reason?.includes(entry.tableNumber) ? reason : `Table ${entry.tableNumber} no longer exists.`;
    const dropped = notesOnly(entry)
      ? "Your notes for it were not saved."
      : `Your change to ${this.labels[entry.status]} was not made.`;
    const message = `${what} ${dropped}`;
    this.queue.removeConflict(entry.tableId);
    hideNotice(`conflict-${entry.tableId}`);
    const id = `gone-${entry.tableId}`;
    showNotice(id, message, {
      kind: "error",
      role: "alert",
      actions: [{ label: "Dismiss", onClick: () => hideNotice(id) }],
    });
    this.report("refused", entry, message);
  }

  /** Someone changed the table first: show both and let the user choose; nothing is dropped silently. */
  conflict(entry, table, { persist = true } = {}) {
    const conflict = {
      tableId: entry.tableId,
      tableNumber: entry.tableNumber,
      mine: entry.status,
      theirs: table.status,
      by: entry.by ?? null,
      // What "Use mine" sends again besides the status, so nothing the person chose is dropped.
      covers: entry.covers ?? null,
      notes: entry.notes,
      reservedUntil: entry.reservedUntil,
      notesOnly: entry.notesOnly ?? notesOnly(entry),
    };
    if (persist) this.queue.addConflict(conflict);
    const words = conflictWords(conflict, this.labels);
    showNotice(`conflict-${conflict.tableId}`, words.text, {
      kind: "warning",
      role: "alert",
      actions: [
        { label: words.keep, onClick: () => this.resolve(conflict, false) },
        { label: words.use, primary: true, onClick: () => this.resolve(conflict, true) },
      ],
    });
    this.report("conflict", entry, null, conflict);
  }

  /** The person's answer to a conflict, from its notice or from the table's dialog. */
  resolve(conflict, useMine) {
    hideNotice(`conflict-${conflict.tableId}`);
    this.queue.removeConflict(conflict.tableId);
    if (!useMine) return Promise.resolve("kept");
    const current = this.store.get(conflict.tableId)?.status ?? conflict.theirs;
    const { covers, notes, reservedUntil } = conflict;
    // Notes alone go onto the table as it is now; a status pick is made again over theirs.
    const status = conflict.notesOnly ? current : conflict.mine;
    return this.change(conflict.tableId, status, { expectedStatus: current, covers, notes, reservedUntil });
  }

  /** Show conflicts kept from before a reload. */
  showConflicts() {
    for (const conflict of this.queue.conflicts()) {
      this.conflict({ ...conflict, status: conflict.mine }, { status: conflict.theirs }, { persist: false });
    }
  }

  /** Send the queued changes in order, each with its idempotency key and the status the user saw. */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    let sent = 0;
    try {
      // Tabs share the queue: one of them sends it at a time.
      await oneTabAtATime(this.queue.queueKey, async () => {
        for (;;) {
          if (!this.isOnline()) break;
          const [entry] = this.queue.entries();
          if (!entry) break;
          this.queue.update(entry.key, { attempted: true });
          let response;
          try {
            response = await api.changeStatus(entry.tableId, statusBody(entry, { queued: true }), entry.key);
          } catch {
            break; // still unreachable: try again on the next reconnect
          }
          if (response.status >= 500) break;
          if (response.status === 401) {
            this.settle(entry, response); // kept: it is sent once the person signs in again
            break;
          }
          if (response.status === 429) {
            this.retryTimer = setTimeout(() => this.flush(), (response.retryAfter || 1) * 1000);
            break;
          }
          this.queue.remove(entry.key);
          if (response.ok) sent += 1;
          const waiting = this.queue.pendingFor(entry.tableId);
          if (response.ok && waiting) {
            this.store.acceptServerTable(response.data, { local: true });
            this.store.setPending(entry.tableId, waiting, "queued");
          } else {
            this.settle(entry, response);
          }
          await sleep(STATUS_SPACING_MS);
        }
      });
    } finally {
      this.flushing = false;
      saySent(sent);
    }
  }

  report(outcome, entry, message = null, conflict = null) {
    this.dispatchEvent(new CustomEvent("outcome", { detail: { outcome, entry, message, conflict } }));
  }
}
