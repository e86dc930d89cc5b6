// What the server declares once and hands the page in its initial state (app/tables/state.py,
// page_facts): the logged event names, field limits, plan geometry, messages, the pace of status
// changes and the fields of a table. The scripts read them from here instead of writing them again.

const state = JSON.parse(document.getElementById("initial-state").textContent);

/** Logged event names by the server's names for them, e.g. EVENTS.STATUS_CHANGED. */
export const EVENTS = state.facts.events;
/** [lowest, highest] per field, e.g. LIMITS.x, LIMITS.covers. */
export const LIMITS = state.facts.limits;
/** The plan's margin and smallest size, in plan units. */
export const PLAN = state.facts.plan;
export const MESSAGES = state.facts.messages;
/** Milliseconds between two status changes sent in a row, to stay under the server's limit. */
export const STATUS_SPACING_MS = state.facts.statusSpacingMs;
/** The fields of a Table, by the names the API sends (app/shapes/tables.py): what the page keeps of each table. */
export const TABLE_FIELDS = state.facts.tableFields;
/** Each status in words, by its name. */
export const STATUS_LABELS = state.statuses;

/** The conflict question, naming who made the change the person did not see. */
export const conflictQuestion = (name) => MESSAGES.conflict.replace("{name}", name);
