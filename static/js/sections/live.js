// The sections screen kept current with the plan's own pieces (one socket, the same store and sync): another
// manager's sections, a preset loaded elsewhere and a table put in another section reach an open screen.

import { LiveConnection } from "../connection.js";
import { EVENTS } from "../facts.js";
import { TableStore } from "../store.js";
import { SyncManager } from "../sync.js";
import { sections } from "./kept.js";

const SETTLE_MS = 60; // a plan saved elsewhere arrives as a burst of events: one redraw for the burst

/** Whether an event changes a floor's sections: a section:* event, or a table put in or out of one. */
const aboutSections = (name, payload) =>
  name.startsWith("section:") || (name === EVENTS.TABLE_UPDATED && payload?.changes != null && "sectionId" in payload.changes);

/**
 * Follow the screen's floor from its first state; `onChange(by)` after the saved sections or the tables
 * changed, with who changed sections meanwhile (usernames). Returns the store of the floor's tables.
 */
export function followFloor(state, onChange) {
  const floor = state.floor;
  const scope = { shows: (shown) => shown === floor, rooms: () => [floor] };
  const store = new TableStore(state.tables, state.lastEventId);
  const connection = new LiveConnection({ rooms: scope.rooms, offlineAfterSeconds: state.offlineAfterSeconds, username: state.me.username });
  const sync = new SyncManager({ connection, store, scope });
  const by = new Set();
  let timer = null;
  const changed = () => {
    timer ??= setTimeout(() => {
      timer = null;
      const who = [...by];
      by.clear();
      onChange(who);
    }, SETTLE_MS);
  };
  connection.addEventListener("table-event", ({ detail: { name, payload } }) => {
    for (const item of Array.isArray(payload) ? payload : [payload]) {
      if (aboutSections(name, item) && item?.updatedBy) by.add(item.updatedBy);
    }
    sync.receive(name, payload);
  });
  connection.addEventListener("head", ({ detail }) => sync.head(detail));
  connection.addEventListener("ready", ({ detail: { reconnect } }) => sync.sync({ announce: reconnect, before: () => connection.joinRooms() }));
  store.subscribe(changed);
  sections.subscribe(changed);
  window.tableside = { store, connection, sections };
  return store;
}
