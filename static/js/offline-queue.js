// Status changes waiting for the server, kept in localStorage so a reload or a crash loses none;
// and the one notice that says how many changes made offline every queue (tables, door) has sent.

import { showNotice } from "./notices.js";

const SENT_NOTICE_MS = 6000;
let sentTotal = 0;
let sentTimer = null;

/** "3 changes made offline were sent", "1 change made offline was sent". */
export const sentWords = (count) =>
  count === 1 ? "1 change made offline was sent" : `${count} changes made offline were sent`;

/**
 * A queue sent `count` changes made offline: say so. Queues sent at one reconnect (the tables' and the
 * door's) are counted together while the notice shows, so one does not hide the other's number.
 */
export function saySent(count) {
  if (!count) return;
  sentTotal += count;
  showNotice("queue-sent", sentWords(sentTotal), { kind: "success", timeout: SENT_NOTICE_MS });
  clearTimeout(sentTimer);
  sentTimer = setTimeout(() => {
    sentTotal = 0;
  }, SENT_NOTICE_MS);
}

/**
 * Run `send` in one tab at a time for a queue: the tabs of a browser share its queues (localStorage), so
 * when several come back together a change made offline is sent by one of them. Without Web Locks each
 * tab sends, and the change's idempotency key still has it saved once.
 */
export const oneTabAtATime = (queueKey, send) => (navigator.locks ? navigator.locks.request(`send:${queueKey}`, send) : send());

const storageKey = (username, kind) => `tableside:${kind}:${username}`;
// What a change may carry besides its status; absent means "leave as it is".
const DETAILS = ["notes", "reservedUntil"];
const carriesDetails = (entry) => DETAILS.some((name) => entry[name] !== undefined);

function load(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

export class OfflineQueue {
  constructor(username) {
    this.queueKey = storageKey(username, "queue");
    this.conflictKey = storageKey(username, "conflicts");
  }

  entries() {
    return load(this.queueKey);
  }

  save(entries) {
    localStorage.setItem(this.queueKey, JSON.stringify(entries));
  }

  /**
   * Keep a change: {key, tableId, tableNumber, status, expectedStatus, covers, partyId?, notes?, reservedUntil?, tappedAt,
   * attempted}. A change merged into an earlier one leaves its partyId (an undone clear's party): the earlier
   * change was never sent, so the table still has whatever party the person saw first.
   * A second change to a table whose first was never sent replaces it (from what the user first
   * saw to what they want now), keeping notes or a hold the first carried; one that returns the
   * table to what they saw, with no notes or hold to deliver, cancels it.
   */
  add(entry) {
    const entries = this.entries();
    const earlier = entries.find((item) => item.tableId === entry.tableId && !item.attempted);
    if (earlier) {
      // The status changed at the later tap; notes alone leave the time of the status the first set.
      if (entry.status !== earlier.status) earlier.tappedAt = entry.tappedAt;
      earlier.status = entry.status;
      earlier.covers = entry.covers ?? null;
      for (const name of DETAILS) if (entry[name] !== undefined) earlier[name] = entry[name];
      earlier.key = entry.key;
      earlier.queuedAt = Date.now();
      const cancelled = earlier.status === earlier.expectedStatus && earlier.covers == null && !carriesDetails(earlier);
      this.save(cancelled ? entries.filter((item) => item !== earlier) : entries);
      return;
    }
    entries.push({ ...entry, queuedAt: Date.now() });
    this.save(entries);
  }

  update(key, changes) {
    this.save(this.entries().map((item) => (item.key === key ? { ...item, ...changes } : item)));
  }

  remove(key) {
    this.save(this.entries().filter((item) => item.key !== key));
  }

  /** The status the user last chose for a table, while any change to it waits. */
  latestFor(tableId) {
    const waiting = this.entries().filter((item) => item.tableId === tableId);
    return waiting.length ? waiting[waiting.length - 1].status : null;
  }

  /**
   * What the user last chose for a table while changes to it wait: {status, covers, tappedAt,
   * notes?, reservedUntil?}, or null. `tappedAt` is when the status shown was picked.
   */
  pendingFor(tableId) {
    const waiting = this.entries().filter((item) => item.tableId === tableId);
    if (!waiting.length) return null;
    const last = waiting[waiting.length - 1];
    const pending = { status: last.status, covers: last.covers ?? null, tappedAt: last.tappedAt };
    for (const item of waiting) for (const name of DETAILS) if (item[name] !== undefined) pending[name] = item[name];
    return pending;
  }

  conflicts() {
    return load(this.conflictKey);
  }

  addConflict(conflict) {
    const kept = this.conflicts().filter((item) => item.tableId !== conflict.tableId);
    localStorage.setItem(this.conflictKey, JSON.stringify([...kept, conflict]));
  }

  removeConflict(tableId) {
    localStorage.setItem(this.conflictKey, JSON.stringify(this.conflicts().filter((item) => item.tableId !== tableId)));
  }
}
