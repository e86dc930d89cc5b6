// The door on a tables page: the waitlist beside the plan or the list (a tab on a phone), seating
// from it in two taps, its changes sent at once or queued offline like status changes.

import { DoorActions } from "./door-actions.js";
import { WaitlistPanel } from "./panel.js";
import { Seating } from "./seating.js";

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

/**
 * Start the waitlist; returns {tap(tableId), actions}: tap is true when a table tap seated the
 * picked party (or said why not), so the table's dialog does not open.
 */
export function startWaitlist({ store, me, isOnline, viewRoot }) {
  const root = document.querySelector("[data-waitlist]");
  const layout = document.querySelector("[data-door-layout]");
  const actions = new DoorActions({ store, username: me.username, isOnline });
  if (!root || !layout) return { tap: () => false, actions };
  const show = phoneTabs(layout);
  let panel = null;
  const seating = new Seating({
    store,
    root: viewRoot,
    onSeat: (party, tableIds) => actions.seat(party, tableIds),
    onChange: () => {
      panel?.render();
      // On a phone the tables are a tab away: picking a party shows them, marked.
      if (PHONE.matches && seating.pickedId != null) show("floor");
    },
  });
  panel = new WaitlistPanel({ root, store, actions, seating, hosting: me.role !== "viewer" });
  actions.showQueued();
  return { tap: (tableId) => seating.tap(tableId), actions };
}
