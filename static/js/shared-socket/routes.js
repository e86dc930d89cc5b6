// Which of a browser's tabs an event on the shared connection is for: each tab gets what the server would
// send a connection of its own, judged by the rooms the tab joined (`floor:N`, `all_tables`) and the floor
// whose presence it watches. The door's events and the person's own go to every tab.

export const ALL_TABLES = "all_tables";
export const roomOf = (floor) => (floor == null ? ALL_TABLES : `floor:${floor}`);

const BATCH = "tables:batch_update";
const FLOOR_EVENTS = /^(table|floor|section|preset):/;

/** Whether a tab in these rooms shows tables of `floor`. */
const shows = (tab, floor) => tab.rooms.has(ALL_TABLES) || tab.rooms.has(roomOf(floor));

/** The floors a table, floor, section or preset event is about (a table moved between floors: both). */
function floorsOf(payload) {
  return [payload?.floor, payload?.changes?.floor].filter((floor) => floor != null);
}

/** What `tab` receives of an event (a batch cut to its floors), or undefined when it is not for it. */
export function forTab(name, payload, tab) {
  if (name === BATCH) {
    const items = (payload ?? []).filter((item) => shows(tab, item.floor));
    return items.length ? items : undefined;
  }
  if (name === "tables:head") return tab.rooms.has(payload?.room) ? payload : undefined;
  if (name === "presence:update") return tab.watching === payload?.floor ? payload : undefined;
  if (name === "tables:sync_response") return undefined; // each tab reads its answer from the acknowledgement
  if (FLOOR_EVENTS.test(name)) {
    const floors = floorsOf(payload);
    if (floors.length && !floors.some((floor) => shows(tab, floor))) return undefined;
  }
  return payload;
}

/** A sync's answer as one tab needs it: the missed events of its own floors. */
export function syncAnswerFor(answer, tab) {
  if (!answer?.recovered) return answer;
  return { ...answer, events: answer.events.filter((entry) => forTab(entry.event, entry.data, tab) !== undefined) };
}
