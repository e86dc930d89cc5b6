// Applying the server's table events to the store, once each, for the tables this view shows.

import { api } from "./api.js";
import { line } from "./door.js";
import { renameFloor } from "./floor-names.js";
import { BATCH_UPDATE } from "./connection.js";
import { EVENTS } from "./facts.js";
import { sections } from "./sections/kept.js";
import { presets } from "./sections/presets.js";
import { setTurnMinutes } from "./service.js";
import { tableFields } from "./store.js";

/**
 * scope.shows(floor) says whether the view shows tables of a floor.
 * Returns how many events were applied (a batch counts each item).
 */
export function applyEvent(store, scope, name, payload) {
  if (name === BATCH_UPDATE) {
    let applied = 0;
    for (const item of payload) applied += applyEvent(store, scope, EVENTS.STATUS_CHANGED, item);
    return applied;
  }
  if (!payload || !store.isNew(payload.eventId)) return 0;
  store.markApplied(payload.eventId);
  switch (name) {
    case EVENTS.STATUS_CHANGED:
      return statusChanged(store, scope, payload);
    case EVENTS.TABLE_CREATED:
      if (!scope.shows(payload.floor)) return 0;
      store.upsert(payload, { by: payload.createdBy ?? null, cause: "created" });
      return 1;
    case EVENTS.TABLE_UPDATED:
      return updated(store, scope, payload);
    case EVENTS.TABLE_DELETED:
      store.remove(payload.tableId, { by: payload.deletedBy, cause: "deleted", number: payload.tableNumber });
      return 1;
    case EVENTS.FLOOR_UPDATED:
      if (payload.changes?.turnMinutes) setTurnMinutes([{ floor: payload.floor, turnMinutes: payload.changes.turnMinutes }]);
      if (payload.changes?.name) renameFloor(payload.floor, payload.changes.name);
      store.notify({ kind: "service", cause: "floor" });
      return 1;
    case EVENTS.SECTION_CREATED:
      sections.created(payload);
      return 1;
    case EVENTS.SECTION_UPDATED:
      sections.updated(payload);
      return sectionTables(store, payload, payload.changes?.name ? { section: payload.changes.name } : {});
    case EVENTS.SECTION_DELETED:
      sections.deleted(payload);
      return sectionTables(store, payload, { sectionId: null, section: null, assignee: null });
    case EVENTS.SECTION_ASSIGNED:
      sections.assigned(payload);
      return sectionTables(store, payload, { assignee: payload.assignee ?? null });
    case EVENTS.PRESET_SAVED:
      presets.saved(payload);
      return 1;
    case EVENTS.PRESET_DELETED:
      presets.deleted(payload);
      return 1;
    default:
      line.apply(name, payload); // the door's events: no table update to count
      return 0;
  }
}

function statusChanged(store, scope, payload) {
  const held = store.get(payload.tableId);
  if (!held) {
    if (scope.shows(payload.floor)) fetchMissing(store, scope, payload.tableId);
    return 1;
  }
  const changes = {
    status: payload.newStatus,
    covers: payload.covers ?? null,
    partyId: payload.partyId ?? null,
    updatedAt: payload.updatedAt,
    version: held.version + 1,
    changedBy: payload.updatedBy,
  };
  // Re-sending a status keeps the time it began (and the seated timer with it).
  if (payload.oldStatus !== payload.newStatus || held.status !== payload.newStatus) changes.statusChangedAt = payload.statusChangedAt ?? payload.updatedAt;
  // The event names the hold whenever the table has one after the change, and notes whenever they were given (null: cleared).
  changes.reservedUntil = payload.newStatus === "reserved" ? (payload.reservedUntil ?? null) : null;
  if ("notes" in payload) changes.notes = payload.notes ?? null;
  store.patch(payload.tableId, changes, { by: payload.updatedBy, cause: "status", status: payload.newStatus });
  return 1;
}

function updated(store, scope, payload) {
  const held = store.get(payload.tableId);
  const changes = payload.changes || {};
  const floor = changes.floor ?? payload.floor;
  if (held && !scope.shows(floor)) {
    store.remove(payload.tableId, { by: payload.updatedBy, cause: "moved", number: payload.tableNumber });
    return 1;
  }
  if (!held) {
    // A table moved onto this floor: the event names only what changed, so fetch the rest.
    if (scope.shows(floor)) fetchMissing(store, scope, payload.tableId, payload.updatedBy);
    return 1;
  }
  store.patch(payload.tableId, { ...tableFields(changes), changedBy: payload.updatedBy }, { by: payload.updatedBy, cause: "updated" });
  return 1;
}

async function fetchMissing(store, scope, tableId, by = null) {
  try {
    const response = await api.table(tableId);
    if (response.ok && scope.shows(response.data.floor)) {
      store.acceptServerTable(response.data, { by, cause: "created" });
    }
  } catch {
    // Unreachable now; the next sync brings the table.
  }
}

/** A section's change reaches each of its tables the page holds (named by the event's `tableIds`). */
function sectionTables(store, payload, changes) {
  for (const tableId of payload.tableIds ?? []) {
    if (store.get(tableId)) store.patch(tableId, changes, { cause: "section" });
  }
  return 1;
}
