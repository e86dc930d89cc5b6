// The floor plan and list pages: the server-rendered state, kept current over Socket.IO.

import { LiveConnection } from "./connection.js";
import { TableDialog } from "./dialog.js";
import { line } from "./door.js";
import { setFloorNames, showFloorTitle } from "./floor-names.js";
import { enableFloorSwitch } from "./floor-switch.js";
import { MESSAGES, STATUS_SPACING_MS } from "./facts.js";
import { FloorPlanView } from "./floorplan.js";
import { keepLastSeen, servedOffline, startingTables } from "./last-seen.js";
import { ListView } from "./list.js";
import { announce, showNotice } from "./notices.js";
import { OfflineQueue } from "./offline-queue.js";
import { Presence } from "./presence.js";
import { checkForRelease } from "./offline-shell.js";
import { StatusActions, notesOnly } from "./status-actions.js";
import { TableStore } from "./store.js";
import { SyncManager } from "./sync.js";
import { setSittingMinutes, setTurnMinutes, tickTimer } from "./service.js";
import { relativeTime } from "./table-render.js";
import { keepLegend } from "./sections/legend.js";
import { followJoined } from "./joined.js";
import { sections } from "./sections/kept.js";
import { tickEvery } from "./ticker.js";
import { offerUndo } from "./undo.js";
import { startWaitlist } from "./waitlist/index.js";
import "./topbar-height.js";

const state = JSON.parse(document.getElementById("initial-state").textContent);
const { me, statuses: labels } = state;
document.documentElement.classList.add("js");

setTurnMinutes(state.floors);
setSittingMinutes(state.sittingMinutes);
setFloorNames(state.floors);
line.replace(state.parties);
sections.replace(state.sections);
if (state.view !== "list") showFloorTitle(state.floor);
const start = startingTables(state); // a kept page's own state is old: the device's copy may be newer
const store = new TableStore(start.tables, start.lastEventId);
followJoined(store); // before the first drawing: joined tables are named from it
const queue = new OfflineQueue(me.username);
let connection = null;
const actions = new StatusActions({ store, queue, labels, isOnline: () => Boolean(connection?.connected) });
const dialog = new TableDialog({
  store,
  labels,
  me,
  onSetStatus: (id, status, seen, details) => actions.change(id, status, { expectedStatus: seen, ...details }),
});
// A tap on a table seats the party picked on the waitlist, when one is; otherwise it opens the table.
let door = null;
const onOpen = (tableId) => {
  if (door?.tap(tableId)) return;
  door?.offer(tableId, () => dialog.close());
  dialog.open(tableId);
};

const view =
  state.view === "list"
    ? new ListView({ body: document.getElementById("table-list"), store, me, onOpen, onBulk: bulkChange })
    : new FloorPlanView({ root: document.getElementById("floor-plan"), store, floor: state.floor, me, onOpen });

door = startWaitlist({ store, me, isOnline: () => Boolean(connection?.connected), viewRoot: view.root ?? view.body });
connection = new LiveConnection({ rooms: () => view.rooms(), offlineAfterSeconds: state.offlineAfterSeconds, username: me.username });
const sync = new SyncManager({ connection, store, scope: view });
const presence = new Presence({ connection, view, dialog, store, me });
door.inHand = (tableId) => presence.hold("seating", tableId);

// A small record of what arrived, for people (and tests) diagnosing a screen.
const received = [];
window.tableside = { received, store, connection, line, presence };

connection.addEventListener("table-event", ({ detail: { name, payload } }) => {
  const items = Array.isArray(payload) ? payload : [payload];
  for (const item of items) received.push({ name, eventId: item.eventId, floor: item.floor, tableId: item.tableId });
  if (received.length > 200) received.splice(0, received.length - 200);
  sync.receive(name, payload);
});
connection.addEventListener("head", ({ detail }) => sync.head(detail));
connection.addEventListener("ready", async ({ detail: { reconnect } }) => {
  await sync.sync({ announce: reconnect, before: () => connection.joinRooms() });
  presence.watch();
  actions.showQueued();
  actions.flush();
  door.actions.showQueued();
  door.actions.flush();
  if (reconnect) checkForRelease();
});
connection.addEventListener("state", ({ detail: { state: now } }) => {
  for (const control of document.querySelectorAll("[data-requires-online]")) {
    if (control.tagName === "BUTTON") control.disabled = now !== "live";
    else control.setAttribute("aria-disabled", String(now !== "live"));
    if (control.tagName === "A") control.tabIndex = now === "live" ? 0 : -1;
  }
});
connection.addEventListener("server-error", ({ detail }) => {
  if (detail?.code === "rate_limited") showNotice("rate-limited", MESSAGES.rateLimited, { kind: "error", role: "alert", timeout: 5000 });
  else if (detail?.code === "session_ended") showNotice("session-ended", detail.message, { kind: "error" });
  else if (detail?.message) showNotice("server-error", detail.message, { kind: "error", timeout: 6000 });
});

// The person's own changes are read out too; a refusal or a conflict keeps the dialog open and says why.
actions.addEventListener("outcome", ({ detail: { outcome, entry, message, conflict } }) => {
  const label = labels[entry.status];
  const notes = notesOnly(entry);
  const what = notes ? `Notes for ${entry.tableNumber}` : `${entry.tableNumber} set to ${label}`;
  if (outcome === "saved") {
    announce(notes ? `${what} saved.` : `${entry.tableNumber} is now ${label}.`);
    offerUndo(actions, entry, notes ? `${what} saved.` : `${what}.`);
  }
  if (outcome === "queued") {
    const text = `${what}: saved on this device; ${notes ? "they" : "it"} will be sent when the connection returns.`;
    showNotice(`queued-${entry.tableId}`, text, { kind: "info", timeout: 6000 });
  }
  if (!dialog.isOpen || dialog.tableId !== entry.tableId) return;
  if (outcome === "refused") dialog.say(message);
  else if (outcome === "conflict") {
    // Asked in the dialog; its notice waits out of sight until the dialog closes unanswered.
    const notice = document.querySelector(`[data-banner="conflict-${entry.tableId}"]`);
    if (notice) notice.hidden = true;
    dialog.ask(conflict, labels, (useMine) => actions.resolve(conflict, useMine));
  }
});
dialog.element.addEventListener("close", () => {
  for (const notice of document.querySelectorAll("#banners [data-banner][hidden]")) notice.hidden = false;
});

store.subscribe((change) => {
  if (change.local || change.kind === "reset") return;
  const table = store.get(change.id) ?? change.previous;
  const number = table?.tableNumber ?? change.number ?? "A table";
  if (change.cause === "created") announce(`Table ${number} was added.`);
  else if (!change.by || change.by === me.username) return;
  else if (change.cause === "status") announce(`${number} is now ${labels[change.status]} (${change.by}).`);
  else if (change.cause === "updated") announce(`${number} was updated by ${change.by}.`);
  else if (change.cause === "deleted" || change.cause === "moved") announce(`${number} was removed by ${change.by}.`);
});

async function bulkChange(ids, status) {
  // A party at several tables is cleared from all of them by its first table's change (and brought back to all by
  // that change's Undo): its other tables are not sent a change of their own, which would only offer an Undo that fails.
  const parties = new Map(ids.map((id) => [id, store.get(id)?.partyId ?? null]));
  const cleared = new Set();
  for (const id of ids) {
    const party = parties.get(id);
    if (status === "available" && party != null) {
      if (cleared.has(party)) continue;
      cleared.add(party);
    }
    await actions.change(id, status);
    await new Promise((resolve) => setTimeout(resolve, STATUS_SPACING_MS)); // stay under the server's limit
  }
}

// One clock for every relative time on the page and the seated and hold timers.
tickEvery("[data-since]", (element, now) => relativeTime(element.dataset.since, now));
tickEvery("[data-timer]", tickTimer);

if (state.view !== "list") enableFloorSwitch({ view, store, connection, sync, dialog, onSwitched: () => presence.watch() });
// A section's new colour or name repaints its tables; the legend follows the floor shown.
sections.subscribe(() => store.notify({ kind: "service", cause: "section" }));
if (state.view !== "list") keepLegend(() => view.floor, store);
actions.showQueued();
door.actions.showQueued();
actions.showConflicts();
keepLastSeen({ store, state, view });
if (servedOffline()) connection.workOffline();
