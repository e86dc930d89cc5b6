// Changing a table's status: shown at once, confirmed by the server, queued when it cannot be reached.

import { NetworkError, api, newKey } from "./api.js";
import { MESSAGES, STATUS_SPACING_MS } from "./facts.js";
import { hideNotice, showNotice } from "./notices.js";

/** The status request for a change: covers go with a seating only. */
const statusBody = ({ status, expectedStatus, covers }) =>
  status === "occupied" && covers != null ? { status, expectedStatus, covers } : { status, expectedStatus };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
      if (this.store.get(tableId)) this.store.setPending(tableId, this.queue.latestFor(tableId), "queued", this.queue.coversFor(tableId));
    }
  }

  /**
   * Ask for `status`, sending the status the person saw (`expectedStatus`, by default what the
   * page shows now), so a change made meanwhile by someone else is asked about, never overwritten.
   * Whatever the outcome, the person hears about it; returns "saved", "queued", "refused" or "conflict".
   */
  async change(tableId, status, { expectedStatus, covers = null } = {}) {
    const shown = this.store.view(tableId);
    if (!shown) return "refused";
    const seen = expectedStatus ?? shown.status;
    const party = status === "occupied" ? covers : null;
    if (seen === status && shown.status === status && (party == null || party === shown.covers)) return "saved";
    const entry = { key: newKey(), tableId, tableNumber: shown.tableNumber, status, expectedStatus: seen, covers: party };
    if (!this.isOnline() || this.queue.latestFor(tableId)) return this.enqueue(entry);
    this.store.setPending(tableId, status, "sending", party);
    let response;
    try {
      response = await api.changeStatus(tableId, statusBody(entry), entry.key);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return this.enqueue({ ...entry, attempted: true });
    }
    if (response.status >= 500) return this.enqueue({ ...entry, attempted: true });
    return this.settle(entry, response);
  }

  enqueue(entry) {
    this.queue.add(entry);
    const latest = this.queue.latestFor(entry.tableId);
    if (latest) this.store.setPending(entry.tableId, latest, "queued", this.queue.coversFor(entry.tableId));
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
    } else {
      const message = `${entry.tableNumber} was not changed: ${data.message || `error ${response.status}`}`;
      showNotice(`refused-${entry.tableId}`, message, { kind: "error", role: "alert", timeout: 8000 });
      this.report("refused", entry, message);
    }
    return "refused";
  }

  /** Someone changed the table first: show both and let the user choose; nothing is dropped silently. */
  conflict(entry, table, { persist = true } = {}) {
    const conflict = {
      tableId: entry.tableId,
      tableNumber: entry.tableNumber,
      mine: entry.status,
      theirs: table.status,
      by: entry.by ?? null,
    };
    if (persist) this.queue.addConflict(conflict);
    const mine = this.labels[conflict.mine];
    const theirs = this.labels[conflict.theirs];
    showNotice(
      `conflict-${conflict.tableId}`,
      `${conflict.tableNumber} was changed by ${conflict.by || "someone else"}: it is ${theirs} now, and you chose ${mine}.`,
      {
        kind: "warning",
        role: "alert",
        actions: [
          { label: `Keep ${theirs}`, onClick: () => this.resolve(conflict, false) },
          { label: `Use ${mine}`, primary: true, onClick: () => this.resolve(conflict, true) },
        ],
      },
    );
    this.report("conflict", entry, null, conflict);
  }

  /** The person's answer to a conflict, from its notice or from the table's dialog. */
  resolve(conflict, useMine) {
    hideNotice(`conflict-${conflict.tableId}`);
    this.queue.removeConflict(conflict.tableId);
    if (!useMine) return Promise.resolve("kept");
    const current = this.store.get(conflict.tableId)?.status ?? conflict.theirs;
    return this.change(conflict.tableId, conflict.mine, { expectedStatus: current });
  }

  /** Show conflicts kept from before a reload. */
  showConflicts() {
    for (const conflict of this.queue.conflicts()) {
      this.conflict(
        { tableId: conflict.tableId, tableNumber: conflict.tableNumber, status: conflict.mine, by: conflict.by },
        { status: conflict.theirs },
        { persist: false },
      );
    }
  }

  /** Send the queued changes in order, each with its idempotency key and the status the user saw. */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    try {
      for (;;) {
        if (!this.isOnline()) break;
        const [entry] = this.queue.entries();
        if (!entry) break;
        this.queue.update(entry.key, { attempted: true });
        let response;
        try {
          response = await api.changeStatus(entry.tableId, statusBody(entry), entry.key);
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
        const waiting = this.queue.latestFor(entry.tableId);
        if (response.ok && waiting) {
          this.store.acceptServerTable(response.data, { local: true });
          this.store.setPending(entry.tableId, waiting, "queued", this.queue.coversFor(entry.tableId));
        } else {
          this.settle(entry, response);
        }
        await sleep(STATUS_SPACING_MS);
      }
    } finally {
      this.flushing = false;
    }
  }

  report(outcome, entry, message = null, conflict = null) {
    this.dispatchEvent(new CustomEvent("outcome", { detail: { outcome, entry, message, conflict } }));
  }
}
