// Changes at the door (a party added, moved, edited or seated): sent at once with an idempotency
// key, or kept in localStorage while the server cannot be reached and sent once, in order, after
// reconnect. What waits shows on the waitlist and on its tables ("Waiting to sync") meanwhile; what
// was sent after a reconnect is counted in the queues' one notice. A seating, a move or a join sent
// at once offers Undo (door-undo.js).

import { api, newKey, sendOrNull } from "../api.js";
import { line } from "../door.js";
import { MESSAGES, STATUS_SPACING_MS } from "../facts.js";
import { hideNotice, showNotice } from "../notices.js";
import { oneTabAtATime, saySent } from "../offline-queue.js";
import { offerUndoNotice } from "../undo.js";
import { undoOf } from "./door-undo.js";
import { partyName } from "./wait-words.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SEND = { add: (entry) => api.addParty(entry.body, entry.key) };
SEND.change = (entry) => api.changeParty(entry.partyId, entry.body, entry.key);
SEND.seat = (entry) => api.seatParty(entry.partyId, entry.body, entry.key);
SEND.move = (entry) => api.moveParty(entry.partyId, entry.body, entry.key);
SEND.join = (entry) => api.addPartyTable(entry.partyId, entry.body, entry.key);
SEND.unseat = (entry) => api.unseatParty(entry.partyId, entry.body, entry.key);
SEND.unjoin = (entry) => api.takeTableOff(entry.partyId, entry.body, entry.key);
// What a refused change says: "The party at T-08 was not moved: Table T-09 is occupied now, ..."
const NOT_DONE = { seat: "was not seated", move: "was not moved", join: "was not joined" };
const refusedWhat = (entry) => (entry.undo ? `Undo for ${entry.label}` : `${entry.label} ${NOT_DONE[entry.kind] ?? "was not changed"}`);
/** An add or a seating sent from the queue carries when it was tapped; the server records that time. */
const TAPPED = new Set(["add", "seat"]);
const fromQueue = (entry) =>
  TAPPED.has(entry.kind) && entry.tappedAt ? { ...entry, body: { ...entry.body, tappedAt: entry.tappedAt } } : entry;

/** How a party's covers sit at its tables, as the server counts them: each filled in order, the rest at the first. */
export function splitCovers(size, capacities) {
  let left = size;
  const covers = capacities.map((seats) => {
    const here = Math.min(seats, left);
    left -= here;
    return here;
  });
  covers[0] += left;
  return covers;
}

const seenFree = (table) => (table.status === "reserved" ? "reserved" : "available");
/** A table as a change names it for its notices: its id and number. */
const named = (table) => ({ tableId: table.tableId, number: table.tableNumber });

export class DoorActions {
  constructor({ store, username, isOnline }) {
    this.store = store;
    this.key = `tableside:door-queue:${username}`;
    this.isOnline = isOnline;
    this.flushing = false;
    this.retryTimer = null;
    this.listeners = new Set();
  }

  entries() {
    try {
      const value = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch {
      return [];
    }
  }

  save(entries) {
    localStorage.setItem(this.key, JSON.stringify(entries));
    for (const listener of this.listeners) listener();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  /** Add a party to the line: fields {size, name?, phone?, notes?, tags?, quotedMinutes?}. */
  add(fields) {
    const key = newKey();
    return this.run({ key, kind: "add", partyId: `local:${key}`, body: fields, label: partyName(fields) });
  }

  /** Edit a party or move it (state), sending the state the host saw so a move made meanwhile is refused, not overwritten. */
  change(party, body) {
    const sent = body.state ? { ...body, expectedState: party.state } : body;
    return this.run({ key: newKey(), kind: "change", partyId: party.partyId, body: sent, label: partyName(party) });
  }

  /** Seat a party at tables, with the status each showed (free or held), in one transaction. */
  seat(party, tableIds) {
    const expectedStatuses = {};
    const tables = tableIds.map((id) => this.store.view(id));
    for (const table of tables) expectedStatuses[table.tableId] = table.status === "reserved" ? "reserved" : "available";
    const entry = {
      key: newKey(),
      kind: "seat",
      partyId: party.partyId,
      body: { tableIds, expectedStatuses },
      size: party.size,
      label: partyName(party),
      tables: tables.map((table) => ({ tableId: table.tableId, number: table.tableNumber, seats: table.capacity })),
    };
    return this.run(entry);
  }

  /** Move a seated party from one of its tables to a free (or held) one: covers and seated time go with it. */
  move(partyId, from, to) {
    const body = { fromTableId: from.tableId, toTableId: to.tableId, expectedStatus: seenFree(to) };
    const tables = { from: named(from), to: named(to) };
    return this.run({ key: newKey(), kind: "move", partyId, body, tables, label: `The party at ${from.tableNumber}` });
  }

  /** Add a table: join a free (or held) table to a seated party. */
  join(partyId, at, table) {
    const body = { tableId: table.tableId, expectedStatus: seenFree(table) };
    const tables = { at: named(at), joined: named(table) };
    return this.run({ key: newKey(), kind: "join", partyId, body, tables, label: `The party at ${at.tableNumber}` });
  }

  /** After a change saved at once (not an undo), offer to take it back for a while. */
  offerUndo(entry, party) {
    const offer = entry.undo ? null : undoOf(entry, party);
    if (offer) offerUndoNotice(offer.tableId, offer.words, () => this.run({ ...offer.change, key: newKey() }));
  }

  async run(change) {
    const entry = { ...change, tappedAt: new Date().toISOString() };
    const forLocalParty = String(entry.partyId).startsWith("local:") && entry.kind !== "add";
    if (!this.isOnline() || this.entries().length || forLocalParty) {
      return this.enqueue(entry);
    }
    this.showSeating(entry, "sending");
    const response = await sendOrNull(() => SEND[entry.kind](entry));
    if (!response) return this.enqueue({ ...entry, attempted: true });
    const outcome = this.settle(entry, response);
    if (outcome === "saved") this.offerUndo(entry, response.data);
    return outcome;
  }

  enqueue(entry) {
    this.save([...this.entries(), { ...entry, queuedAt: new Date().toISOString() }]);
    this.showSeating(entry, "queued");
    showNotice(`queued-door-${entry.key}`, `${entry.label}: saved on this device; it will be sent when the connection returns.`, {
      timeout: 6000,
    });
    if (this.isOnline()) this.flush();
    return "queued";
  }

  /** A seating shows on its tables until the server answers. */
  showSeating(entry, state) {
    if (entry.kind !== "seat") return;
    const covers = splitCovers(entry.size, entry.tables.map((table) => table.seats));
    entry.tables.forEach((table, index) => {
      const seated = { status: "occupied", covers: covers[index], tappedAt: entry.tappedAt };
      if (this.store.get(table.tableId)) this.store.setPending(table.tableId, seated, state);
    });
  }

  /** Mark every queued seating on its tables again, e.g. after a reload or a snapshot. */
  showQueued() {
    for (const entry of this.entries()) this.showSeating(entry, "queued");
  }

  clearSeating(entry, party) {
    if (entry.kind !== "seat") return;
    const covers = splitCovers(entry.size, entry.tables.map((table) => table.seats));
    entry.tables.forEach((table, index) => {
      this.store.clearPending(table.tableId);
      const held = this.store.get(table.tableId);
      // Its event may come after the answer: show it seated now; the event confirms it.
      if (party && held && held.status !== "occupied") {
        this.store.patch(table.tableId, { status: "occupied", covers: covers[index], partyId: party.partyId }, { local: true });
      }
    });
  }

  /** Apply the server's answer to one change; returns "saved", "refused" or "conflict". */
  settle(entry, response) {
    const data = response.data || {};
    this.clearSeating(entry, response.ok ? data : null);
    if (response.ok) {
      line.accept(data);
      return "saved";
    }
    const id = `door-${entry.kind}-${entry.partyId}`;
    const dismiss = [{ label: "Dismiss", onClick: () => hideNotice(id) }];
    if (response.status === 409) {
      if (data.table) this.store.acceptServerTable(data.table, { local: true });
      if (data.party) line.accept(data.party);
      // The server names the table (or the party) and who made the change that won.
      const who = data.changedBy ? ` Changed by ${data.changedBy}.` : "";
      const what = refusedWhat(entry);
      showNotice(id, `${what}: ${data.message || "it changed meanwhile."}${who}`, { kind: "warning", role: "alert", actions: dismiss });
      return "conflict";
    }
    if (response.status === 429) {
      showNotice("rate-limited", MESSAGES.rateLimited, { kind: "error", role: "alert", timeout: 5000 });
      return "refused";
    }
    if (response.status === 401) {
      showNotice("session-ended", MESSAGES.sessionEnded, {
        kind: "error",
        actions: [{ label: "Sign in", primary: true, onClick: () => window.location.reload() }],
      });
      return "refused";
    }
    const reason = data.fields ? Object.values(data.fields).join(" ") : data.message;
    showNotice(id, `${entry.label}: ${reason || `error ${response.status}`}`, { kind: "error", role: "alert", actions: dismiss });
    return "refused";
  }

  /** Send what waits, in order, each once with its idempotency key. */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    let sent = 0;
    try {
      // Tabs share the queue: one of them sends it at a time.
      await oneTabAtATime(this.key, async () => {
        for (;;) {
          if (!this.isOnline()) break;
          const [entry] = this.entries();
          if (!entry) break;
          this.save(this.entries().map((item) => (item.key === entry.key ? { ...item, attempted: true } : item)));
          let response;
          try {
            response = await SEND[entry.kind](fromQueue(entry));
          } catch {
            break; // still unreachable: the next reconnect tries again
          }
          if (response.status >= 500) break;
          if (response.status === 429) {
            this.retryTimer = setTimeout(() => this.flush(), (response.retryAfter || 1) * 1000);
            break;
          }
          if (response.status === 401) {
            this.settle(entry, response);
            break;
          }
          this.sent(entry, response);
          if (response.ok) sent += 1;
          this.settle(entry, response);
          await sleep(STATUS_SPACING_MS);
        }
      });
    } finally {
      this.flushing = false;
      saySent(sent);
    }
  }

  /** Take a sent change off the queue; a party added offline gives later changes its real id. */
  sent(entry, response) {
    let rest = this.entries().filter((item) => item.key !== entry.key);
    if (entry.kind === "add") {
      const partyId = response.ok ? response.data.partyId : null;
      rest = rest
        .map((item) => (item.partyId === entry.partyId ? { ...item, partyId } : item))
        .filter((item) => item.partyId !== null);
    }
    this.save(rest);
  }
}
