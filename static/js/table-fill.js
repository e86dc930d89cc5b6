// Filling one table's markup from its data, the same way on the first render and on every change.
// The markup is the server's, one Jinja macro per view (templates/tables/_table.html); a table that
// arrives later is a clone of the page's <template data-table-template>. The slots:
//   data-field="notes"            the element's text is the field ("" for none)
//   data-flag="vip"               the element shows only while the field is true
//   data-attrs="tableId status"   the fields as attributes (data-table-id, data-status)
//   data-format="covers timer"    the formatters below, by name, write the rest
// No field is named here for its own sake: a new one shown on every screen is markup and style.

import { STATUS_LABELS } from "./facts.js";
import { floorNames } from "./floor-names.js";
import { coversText, likelyFreeText, showTimer, timerText } from "./service.js";
import { relativeTime, shortLabel } from "./table-render.js";
import { initialsOf, sections } from "./sections/kept.js";
import { joinedText, joinedWith } from "./joined.js";

const SLOTS = "[data-field], [data-flag], [data-attrs], [data-format]";
const dataName = (field) => `data-${field.replace(/[A-Z]/g, (capital) => `-${capital.toLowerCase()}`)}`;

/** Write text only when it differs: an unchanged slot is not touched, so nothing is redrawn for nothing. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** An attribute present with `value` (true is "true"), or absent for none and false. */
function setData(element, name, value) {
  if (value == null || value === false) element.removeAttribute(name);
  else element.setAttribute(name, value === true ? "true" : String(value));
}

/** "likely free ~HH:MM" once for a party: on the first of its joined tables (the others name it beside theirs),
    so a narrow plan is not crowded with the same time stacked over each joined label. */
function likelyFreeOnce(table) {
  const joined = joinedWith(table);
  return joined.length && joined[0].tableId !== table.tableId ? "" : likelyFreeText(table);
}

/** Who a reserved table is held for: its notes ("Okafor, 8 pm"), or nothing. */
const heldFor = (table) => (table.status === "reserved" && table.notes) || "";

/** What a table's element says of its service, in words: ", 4 covers, looked after by maria". */
function serviceWords(table) {
  const words = [
    heldFor(table) && `held: ${heldFor(table)}`,
    coversText(table) && `${table.covers} covers`,
    likelyFreeOnce(table).replace("~", "around "),
    table.section && `${table.section} section`,
    table.assignee && `looked after by ${table.assignee.username}`,
    joinedText(table) && `joined ${joinedText(table)}`,
  ];
  return words.filter(Boolean).map((word) => `, ${word}`).join("");
}

/** Each formatter writes its part of `element` from `table`; `root` is the table's whole element. */
export const FORMATS = {
  status: (element, table) => setText(element, STATUS_LABELS[table.status] ?? ""),
  shortStatus: (element, table) => setData(element, "data-short", shortLabel(STATUS_LABELS[table.status] ?? "")),
  pending: (element, table) => setData(element, "data-pending", table.pendingState === "queued"),
  heldFor(element, table) {
    const text = heldFor(table);
    setText(element, text);
    element.hidden = !text;
    setData(element, "title", text || null);
  },
  // One text, not the number in a slot of its own: two runs of text would draw "seats" a shade apart.
  seats: (element, table) => setText(element, `${table.capacity} seats`),
  floorName: (element, table) => setText(element, floorNames.get(table.floor) ?? String(table.floor)),
  selectLabel: (element, table) => element.setAttribute("aria-label", `Select ${table.tableNumber}`),
  tileLabel(element, table) {
    const waiting = table.pendingState === "queued" ? ", waiting to sync" : "";
    const label = `${table.tableNumber}, ${table.capacity} seats, ${STATUS_LABELS[table.status]}${serviceWords(table)}${waiting}`;
    element.setAttribute("aria-label", label);
  },
  since(element, table) {
    setData(element, "datetime", table.statusChangedAt ?? "");
    setData(element, "data-since", table.statusChangedAt ?? "");
    setText(element, relativeTime(table.statusChangedAt));
  },
  covers(element, table) {
    const party = coversText(table);
    setText(element, party);
    element.hidden = !party;
  },
  /** The seated or hold timer, ticking (ticker.js); the table is read out with it, its own label staying still. */
  timer(element, table, root) {
    showTimer(element, root, table);
    element.id = `timer-${table.tableId}`;
    if (element.hidden) root.removeAttribute("aria-describedby");
    else root.setAttribute("aria-describedby", element.id);
  },
  /** When a seated table is likely free, from how long parties of its size sit on its floor. */
  likelyFree(element, table) {
    const text = likelyFreeOnce(table);
    setText(element, text);
    element.hidden = !text;
  },
  /** "T-08 + T-09" on each of a party's joined tables. */
  joined(element, table) {
    const text = joinedText(table);
    setText(element, text);
    element.hidden = !text;
  },
  /** The line of covers and timer on a tile, left out when it has neither. */
  service: (element, table) => {
    element.hidden = !coversText(table) && !timerText(table).text;
  },
  /** The section's initials on a badge of its colour, and the table outlined in it (the colour is never alone). */
  section(element, table, root) {
    // The table's own name for its section first: the sections screen shows a draft's unsaved name there.
    const section = table.sectionId == null ? null : sections.get(table.sectionId);
    const name = table.section ?? section?.name ?? "";
    setText(element, name ? initialsOf(name) : "");
    element.title = name ? `${name} section` : "";
    element.hidden = table.sectionId == null;
    setData(root, "data-section-id", table.sectionId); // its colour: a rule per section (sections/kept.js)
  },
  assignee(element, table, root) {
    const who = table.assignee;
    setText(element, who?.initials ?? "");
    element.title = who ? `Looked after by ${who.username}` : "";
    element.hidden = !who;
    setData(root, "data-assignee-id", who?.userId);
  },
};

const slotsOf = new WeakMap(); // a table's element -> its slots, found once (the markup never changes shape)

/** Fill every slot of a table's element (a tile, a card, a row) from the table as the page shows it. */
export function fill(root, table) {
  let slots = slotsOf.get(root);
  if (!slots) {
    slots = [root, ...root.querySelectorAll(SLOTS)].filter((element) => element.matches(SLOTS));
    slotsOf.set(root, slots);
  }
  for (const element of slots) {
    const { field, flag, attrs, format } = element.dataset;
    if (field) setText(element, table[field] == null ? "" : String(table[field]));
    if (flag) element.hidden = table[flag] !== true;
    if (attrs) for (const name of attrs.split(" ")) setData(element, dataName(name), table[name]);
    if (format) for (const name of format.split(" ")) FORMATS[name](element, table, root);
  }
  return root;
}

/** A new element for a table, from the page's <template> of its view, filled. */
export function newTableElement(table) {
  const template = document.querySelector("template[data-table-template]");
  return fill(template.content.firstElementChild.cloneNode(true), table);
}
