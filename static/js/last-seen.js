// The tables as last seen, kept on the device per person and view, so that a page reloaded without
// network (a kept copy whose own state is old) shows the floor as it was when the network went.

const PREFIX = "tableside:last-seen:";
const SAVE_AFTER_MS = 300; // a burst of live events is written once

const viewName = (view, floor) => (view === "list" ? "list" : `floor-${floor}`);
const storageKey = (username, view, floor) => `${PREFIX}${username}:${viewName(view, floor)}`;
const eventNumber = (eventId) => Number(eventId) || 0;

/** True when this page is a copy the service worker kept, shown because the network is away. */
export function servedOffline() {
  return document.documentElement.dataset.offlineCopy === "true" || navigator.onLine === false;
}

/** The tables to start from: the page's own, or the device's copy when that is at least as new. */
export function startingTables(state) {
  const own = { tables: state.tables, lastEventId: state.lastEventId, restored: false };
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(storageKey(state.me.username, state.view, state.floor)) || "null");
  } catch {
    return own;
  }
  if (!kept || !Array.isArray(kept.tables)) return own;
  const keptId = eventNumber(kept.lastEventId);
  const pageId = eventNumber(state.lastEventId);
  // Offline the kept copy wins a tie: it is what this person saw last, after the page was kept.
  const newer = servedOffline() ? keptId >= pageId : keptId > pageId;
  return newer ? { tables: kept.tables, lastEventId: kept.lastEventId, restored: true } : own;
}

/** Write the store's tables after every change it applies (debounced, and at once when the page goes). */
export function keepLastSeen({ store, state, view }) {
  // This person's page, after it has read its own copy: whatever another person left on the device
  // (e.g. written by their tab still open after they signed out) goes now.
  forgetLastSeen({ except: state.me.username });
  let timer = null;
  const save = () => {
    clearTimeout(timer);
    timer = null;
    const tables = store.all();
    // Between a floor switch and its snapshot the store still holds the old floor: skip that moment.
    if (!tables.every((table) => view.shows(table.floor))) return;
    const copy = { lastEventId: store.lastEventId, tables, savedAt: Date.now() };
    try {
      localStorage.setItem(storageKey(state.me.username, state.view, view.floor), JSON.stringify(copy));
    } catch {
      // Storage full or refused: the page still works, only an offline reload shows less.
    }
  };
  store.subscribe(() => {
    if (!timer) timer = setTimeout(save, SAVE_AFTER_MS);
  });
  window.addEventListener("pagehide", () => {
    if (timer) save();
  });
  save();
}

/** Remove every person's copy (a signed-out page: the tablet may be handed to someone else), or
 * every copy but the signed-in person's (`except`, a username). */
export function forgetLastSeen({ except = null } = {}) {
  const own = except === null ? null : `${PREFIX}${except}:`;
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(PREFIX) && !(own && key.startsWith(own))) localStorage.removeItem(key);
    }
  } catch {
    // Storage refused: then nothing was kept either.
  }
}
