// The door on a tables page: the waitlist beside the plan or the list (a tab on a phone), seating
// from it in two taps, its changes sent at once or queued offline like status changes.

import { DoorActions } from "./door-actions.js";
import { offerMoves } from "./move-join.js";
import { WaitlistPanel } from "./panel.js";
import { Seating } from "./seating.js";
import { partyName } from "./wait-words.js";

const PHONE = window.matchMedia("(max-width: 599px)");

/** The phone's two tabs, the tables and the waitlist; elsewhere both show side by side. */
function phoneTabs(layout) {
  const tabs = [...document.querySelectorAll("[data-door-tab]")];
  const show = (which) => {
    layout.dataset.doorView = which;
    for (const tab of tabs) tab.setAttribute("aria-selected", String(tab.dataset.doorTab === which));
  };
  for (const tab of tabs) tab.addEventListener("click", () => show(tab.dataset.doorTab));
  return show;
}

const OFFERED_AT_MOST = 4;

/** In a free table's dialog, the first parties in line that fit it, each seated there in one tap. */
function offerParties({ table, parties, actions, close }) {
  const section = document.querySelector("[data-dialog-line]");
  if (!section) return;
  const fitting = table?.status === "available" ? parties.filter((party) => party.size <= table.capacity && !party.pending) : [];
  section.hidden = !fitting.length;
  const buttons = fitting.slice(0, OFFERED_AT_MOST).map((party) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "covers-chip dialog-line__party";
    button.dataset.seatParty = String(party.partyId);
    button.textContent = partyName(party);
    button.addEventListener("click", () => {
      actions.seat(party, [table.tableId]);
      close();
    });
    return button;
  });
  section.querySelector("[data-dialog-line-parties]").replaceChildren(...buttons);
}

/**
 * Start the waitlist; returns {tap(tableId), actions, offer, inHand}: tap is true when a table tap seated
 * the picked party (or said why not), so the table's dialog does not open; the page sets inHand.
 */
export function startWaitlist({ store, me, isOnline, viewRoot }) {
  const root = document.querySelector("[data-waitlist]");
  const layout = document.querySelector("[data-door-layout]");
  const actions = new DoorActions({ store, username: me.username, isOnline });
  // door.inHand(tableId): given by the page, to show others the table in hand while seating (presence).
  const door = { tap: () => false, actions, offer: () => {}, inHand: () => {} };
  if (!root || !layout) return door;
  const show = phoneTabs(layout);
  let panel = null;
  const seating = new Seating({
    store,
    root: viewRoot,
    onSeat: (party, tableIds) => actions.seat(party, tableIds),
    onMove: (kind, partyId, from, to) => (kind === "move" ? actions.move(partyId, from, to) : actions.join(partyId, from, to)),
    onHand: (tableId) => door.inHand(tableId),
    onChange: () => {
      panel?.render();
      // On a phone the tables are a tab away: picking a party shows them, marked.
      if (PHONE.matches && seating.pickedId != null) {
        show("floor");
        // After the tab has been laid out: the bar says what to tap, the tables marked "Fits" follow.
        requestAnimationFrame(() => document.querySelector("[data-door-tabs]")?.scrollIntoView({ block: "start" }));
      }
    },
  });
  panel = new WaitlistPanel({ root, store, actions, seating, hosting: me.role !== "viewer" });
  actions.showQueued();
  const offer = (tableId, close) => {
    offerParties({ table: store.view(tableId), parties: panel.parties, actions, close });
    const table = store.view(tableId);
    offerMoves({ table, store, actions, close, onPlan: (kind) => seating.moveFrom(kind, table) });
  };
  return Object.assign(door, { tap: (tableId) => seating.tap(tableId), offer });
}
