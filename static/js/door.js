// The line at the door: the parties waiting or notified, whatever floor the page shows. Filled from
// the page's state and a sync's snapshot, kept current by the door's events (party:*); the summary
// counts it, and the waitlist shows it.

import { EVENTS } from "./facts.js";

const IN_LINE = new Set(["waiting", "notified"]);

class Line {
  constructor() {
    this.parties = new Map(); // partyId -> party, in the order they joined
    this.listeners = new Set();
  }

  /** The whole line, as the page's state or a snapshot gives it. */
  replace(parties) {
    this.parties = new Map((parties ?? []).filter((party) => IN_LINE.has(party.state)).map((party) => [party.partyId, { ...party }]));
    this.notify();
  }

  /** Apply one of the door's events; false for any other event. */
  apply(name, payload) {
    // A party joined, or came back to the line (its seating undone): the whole party.
    if (name === EVENTS.PARTY_CREATED || name === EVENTS.PARTY_UNSEATED) this.put({ ...payload });
    else if (name === EVENTS.PARTY_UPDATED) {
      const held = this.parties.get(payload.partyId);
      if (held) this.put({ ...held, ...payload.changes });
    } else if (name === EVENTS.PARTY_SEATED) this.parties.delete(payload.partyId);
    else return false;
    this.notify();
    return true;
  }

  /** A party as the server answered a change of this page's own (its event may come before or after). */
  accept(party) {
    const held = this.parties.get(party.partyId);
    if (held && held.version > party.version) return;
    this.put({ ...party });
    this.notify();
  }

  get(partyId) {
    return this.parties.get(partyId);
  }

  put(party) {
    if (IN_LINE.has(party.state)) this.parties.set(party.partyId, party);
    else this.parties.delete(party.partyId);
  }

  /** The parties in line, in the order they joined. */
  all() {
    return [...this.parties.values()];
  }

  /** The summary's figures of the line. */
  figures() {
    let coversWaiting = 0;
    for (const party of this.parties.values()) coversWaiting += party.size;
    return { partiesWaiting: this.parties.size, coversWaiting };
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of this.listeners) listener(this);
  }
}

/** The page's one line at the door. */
export const line = new Line();
