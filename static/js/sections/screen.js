// The sections screen: the floor's plan drawn with the plan's own tiles, a section picked or made,
// tables tapped (or boxed) into it, a member of staff given to it, then one Save; shift presets too.
// Live while open: another manager's saved changes come in under this one's unsaved ones (sections/live.js).

import { request } from "../api.js";
import { setFloorNames } from "../floor-names.js";
import { showNotice } from "../notices.js";
import { fillFrame, placeScaled, tablesBox } from "../plan-fill.js";
import { fill, newTableElement } from "../table-fill.js";
import { SectionDraft } from "./draft.js";
import { drawOnPlan } from "./drawing.js";
import { colourSheet, initialsOf, sections } from "./kept.js";
import { followFloor } from "./live.js";
import { presets } from "./presets.js";

const state = JSON.parse(document.getElementById("initial-state").textContent);
document.documentElement.classList.add("js");
setFloorNames(state.floors);
const floor = state.floor;
const PHONE = window.matchMedia("(max-width: 599px)");
sections.replace(state.sections);
presets.replace(state.presets); // kept current by preset:* events: another manager's saved preset is listed at once
const store = followFloor(state, (by) => takeIn(by));
const draft = new SectionDraft(sections.onFloor(floor), store.views(), state.palette);
const paintDraft = colourSheet(); // made after the saved sections' sheet: the draft's colours win
let saving = false;
let missed = []; // who changed sections while this screen's own save was on its way
const staff = new Map(state.staff.map((person) => [person.userId, person]));
let picked = draft.sections[0]?.key ?? null;

const plan = document.getElementById("sections-plan");
const frame = plan.closest("[data-plan-frame]");
const $ = (selector) => document.querySelector(selector);
const picks = $("[data-section-picks]");
const editor = $("[data-section-editor]");
const message = $("[data-message]");
const say = (text, kind = "info") => {
  message.textContent = text;
  message.dataset.kind = kind;
};

/** A table as its tile shows it in the draft: its draft section and that section's staff member. */
function drafted(table) {
  const key = draft.placed.get(table.tableId) ?? null;
  const section = key == null ? null : draft.find(key);
  const person = section?.userId == null ? null : staff.get(section.userId);
  const assignee = person ? { userId: person.userId, username: person.username, initials: person.initials } : null;
  return { ...table, sectionId: key, section: section?.name ?? null, assignee };
}

function drawPlan() {
  // The tiles carry their draft section's key as data-section-id: its colour is painted for that key.
  paintDraft(draft.sections.map((section) => ({ sectionId: section.key, colour: section.colour })));
  const tables = store.views();
  const kept = new Set(tables.map((table) => String(table.tableId)));
  for (const tile of plan.querySelectorAll("[data-table-id]")) if (!kept.has(tile.dataset.tableId)) tile.remove();
  $("[data-plan-empty]").hidden = tables.length > 0;
  const drawing = fillFrame(plan, frame, tablesBox(tables), { narrow: PHONE.matches });
  for (const table of tables) {
    let tile = plan.querySelector(`[data-table-id="${table.tableId}"]`);
    if (!tile) plan.append((tile = newTableElement(table)));
    fill(tile, drafted(table));
    placeScaled(tile, table, drawing);
    tile.setAttribute("aria-pressed", String(picked != null && draft.placed.get(table.tableId) === picked));
  }
}

function drawPicks() {
  picks.replaceChildren(
    ...draft.sections.map((section) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "section-pick";
      button.dataset.sectionKey = section.key;
      button.setAttribute("aria-pressed", String(section.key === picked));
      button.dataset.sectionId = section.key; // its colour (sections/kept.js)
      const count = draft.tablesOf(section.key).length;
      const who = section.userId == null ? "nobody yet" : staff.get(section.userId)?.username;
      button.innerHTML = '<span class="section-legend__swatch" aria-hidden="true"></span><span class="section-pick__name"></span><span class="section-pick__more"></span>';
      button.querySelector(".section-legend__swatch").textContent = initialsOf(section.name);
      button.querySelector(".section-pick__name").textContent = section.name;
      button.querySelector(".section-pick__more").textContent = `${count} ${count === 1 ? "table" : "tables"} · ${who}`;
      button.addEventListener("click", () => {
        picked = section.key;
        render();
      });
      item.append(button);
      return item;
    }),
  );
  $("[data-no-sections]").hidden = draft.sections.length > 0;
}

function drawEditor() {
  const section = picked == null ? null : draft.find(picked);
  editor.hidden = !section;
  if (!section) return;
  $("[data-editor-title]").textContent = section.name;
  const name = $("[data-edit-name]");
  if (document.activeElement !== name) name.value = section.name;
  for (const radio of document.querySelectorAll("[data-edit-colour]")) radio.checked = radio.value === section.colour;
  $("[data-edit-staff]").value = section.userId == null ? "" : String(section.userId);
}

/** The floor's presets in the picker, the one picked kept picked while it is there. */
function drawPresets() {
  const pick = $("[data-preset-pick]");
  const was = pick.value;
  const listed = presets.onFloor(floor);
  pick.replaceChildren(
    ...listed.map((preset) => {
      const option = document.createElement("option");
      option.value = preset.presetId;
      option.textContent = preset.name;
      return option;
    }),
  );
  if (!listed.length) pick.append(new Option("No presets yet", ""));
  if (listed.some((preset) => String(preset.presetId) === was)) pick.value = was;
  pick.disabled = !listed.length;
  $("[data-preset-load]").disabled = !listed.length;
}

function render() {
  drawPlan();
  drawPicks();
  drawEditor();
  $("[data-save]").disabled = !draft.dirty;
  $("[data-unsaved]").hidden = !draft.dirty;
}

function needsSection() {
  if (picked != null) return false;
  say("Pick a section or add one first, then tap its tables.", "error");
  return true;
}

drawOnPlan(plan, {
  onTap(tableId) {
    if (needsSection()) return;
    draft.toggle(tableId, picked);
    render();
  },
  onBox(tableIds) {
    if (needsSection() || !tableIds.length) return;
    draft.put(tableIds, picked);
    render();
  },
});

$("[data-new-section]").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = event.target.elements.name;
  const name = input.value.trim();
  if (!name) return say("Give the section a name, e.g. Window.", "error");
  if (draft.isTaken(name)) return say(`There is already a section called ${name}.`, "error");
  picked = draft.add(name);
  input.value = "";
  say(`${name} added: tap its tables on the plan.`);
  render();
});
$("[data-edit-name]").addEventListener("input", (event) => {
  const name = event.target.value.trim();
  if (name && !draft.isTaken(name, picked)) draft.change(picked, { name });
  render();
});
for (const radio of document.querySelectorAll("[data-edit-colour]")) {
  radio.addEventListener("change", () => {
    draft.change(picked, { colour: radio.value });
    render();
  });
}
$("[data-edit-staff]").addEventListener("change", (event) => {
  draft.change(picked, { userId: event.target.value ? Number(event.target.value) : null });
  render();
});
$("[data-remove-section]").addEventListener("click", () => {
  draft.remove(picked);
  picked = draft.sections[0]?.key ?? null;
  render();
});

/** Keep the picked section picked through a redraw from saved sections (by its id, else its name). */
function keepPicked(redraw) {
  const was = picked == null ? null : draft.find(picked);
  const result = redraw();
  const again = was && (draft.sections.find((section) => was.sectionId != null && section.sectionId === was.sectionId) ?? draft.sections.find((section) => section.name === was.name));
  picked = (again ?? draft.sections[0])?.key ?? null;
  render();
  return result;
}

/** The floor's sections and tables as saved now, drawn afresh. */
async function reload(saved) {
  const answer = await request("GET", `/api/tables?floor=${floor}`);
  if (answer.ok) for (const table of Array.isArray(answer.data) ? answer.data : answer.data.tables) store.acceptServerTable(table);
  sections.replace(saved); // this floor's, the only ones this screen shows
  keepPicked(() => draft.reset(sections.onFloor(floor), store.views()));
}

/** Another manager's change (or a table's new status): taken in under this screen's unsaved changes. */
function takeIn(by) {
  if (saving) {
    missed.push(...by); // taken in once the save has answered
    return render();
  }
  const { changed, clashes } = keepPicked(() => draft.rebase(sections.onFloor(floor), store.views()));
  const others = by.filter((name) => name !== state.me.username);
  if (!changed || !others.length) return;
  // A notice at the bottom edge: seen wherever the manager has scrolled to (the plan is below the picks on a phone).
  const who = others.join(" and ");
  if (clashes.length) {
    const text = `${who} also changed ${clashes.join(", ")}: your unsaved changes are kept there, and Save puts them in place of theirs.`;
    showNotice("sections-changed", text, { kind: "warning", actions: [{ label: "OK", primary: true, onClick: (notice) => notice.remove() }] });
  } else {
    const text = draft.dirty ? `${who} changed the sections: shown here with your unsaved changes.` : `${who} changed the sections: shown here.`;
    showNotice("sections-changed", text, { kind: "info", timeout: 8000 });
  }
}

function problem(answer) {
  const fields = Object.values(answer.data?.fields ?? {});
  return [answer.data?.message ?? `The server said ${answer.status}.`, ...fields].join(" ");
}

async function send(method, url, body, done) {
  saving = true;
  try {
    const answer = await request(method, url, { body });
    if (!answer.ok) return say(`Not saved: ${problem(answer)}`, "error");
    await done(answer.data);
  } catch {
    say("Not saved: the server cannot be reached. Your changes are still here; try again.", "error");
  } finally {
    saving = false;
    const by = missed;
    missed = [];
    takeIn(by);
  }
}

$("[data-save]").addEventListener("click", () =>
  send("PUT", `/api/floors/${floor}/sections/plan`, draft.plan(), async (saved) => {
    await reload(saved);
    say("Sections saved. Every screen shows them now.", "success");
  }),
);
$("[data-preset-load]").addEventListener("click", () => {
  const preset = presets.onFloor(floor).find((kept) => String(kept.presetId) === $("[data-preset-pick]").value);
  if (!preset) return;
  send("POST", `/api/presets/${preset.presetId}/load`, undefined, async (saved) => {
    await reload(saved);
    say(`${preset.name} loaded. Every screen shows it now.`, "success");
  });
});
$("[data-preset-save]").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = event.target.elements.name.value.trim();
  if (!name) return say("Give the preset a name, e.g. Friday dinner, 5 servers.", "error");
  if (draft.dirty) return say("Save the sections first: a preset keeps the sections as saved.", "error");
  send("POST", `/api/floors/${floor}/presets`, { name }, (preset) => {
    presets.saved(preset);
    event.target.elements.name.value = "";
    $("[data-preset-pick]").value = preset.presetId;
    say(`Preset ${preset.name} saved.`, "success");
  });
});

window.addEventListener("beforeunload", (event) => {
  if (draft.dirty) event.preventDefault();
});
new ResizeObserver(() => drawPlan()).observe(frame);
PHONE.addEventListener("change", () => drawPlan());
presets.subscribe(drawPresets);
drawPresets();
render();
