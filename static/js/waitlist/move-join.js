// In a seated table's dialog: "Move party" to a free table that fits, or "Add a table" from the
// nearest free ones, each one tap after the choice, or "On the plan" to tap the table there (seating.js);
// sent like every change at the door (door-actions.js).

const OFFERED_AT_MOST = 6;

const centre = (table) => [table.x + table.width / 2, table.y + table.height / 2];
const apart = (a, b) => Math.hypot(centre(a)[0] - centre(b)[0], centre(a)[1] - centre(b)[1]);

/** Free tables on `table`'s floor, nearest first; `fits` keeps only those seating its covers. */
export function freeNear(store, table, { fits = false } = {}) {
  const seated = table.covers ?? table.capacity;
  return store
    .views()
    .filter((one) => one.floor === table.floor && one.status === "available" && one.tableId !== table.tableId)
    .filter((one) => !fits || one.capacity >= seated)
    .sort((a, b) => apart(a, table) - apart(b, table));
}

function chip(text, label, onClick, className = "covers-chip") {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = text;
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

/** What the dialog says while the host picks: what is being picked, where, and that Cancel stops it. */
function pickingWords(moving, found, where) {
  if (!found) return `Picking a table ${moving ? "to move the party to" : "to add"}: no free table on this floor${moving ? " fits the party" : ""}. Cancel to stop.`;
  return moving
    ? `Picking a table to move the party to: tap one below (free tables that fit, nearest first) or tap it ${where}, or Cancel.`
    : `Picking a table to add to this party: tap one below (nearest free tables first) or tap it ${where}, or Cancel.`;
}

/**
 * Show the party's choices in the dialog of `table` when a party sits there; hidden otherwise.
 * onPlan(kind) closes the dialog into picking the table on the plan.
 */
export function offerMoves({ table, store, actions, close, onPlan }) {
  const section = document.querySelector("[data-party-tables]");
  if (!section) return;
  section.hidden = !(table?.status === "occupied" && table.partyId != null && !table.pendingState);
  const offer = section.querySelector("[data-party-tables-offer]");
  const picking = section.querySelector("[data-party-tables-picking]");
  const hint = section.querySelector("[data-party-tables-hint]");
  const choices = [...section.querySelectorAll("[data-party-tables-choice]")];
  /** Back to the two choices, none pressed (a new dialog, or Cancel). */
  const stop = () => {
    for (const choice of choices) choice.setAttribute("aria-pressed", "false");
    offer.replaceChildren();
    hint.textContent = "";
    picking.hidden = true;
  };
  stop();
  if (section.hidden) return;
  const list = (kind) => {
    const moving = kind === "move";
    const tables = freeNear(store, table, { fits: moving }).slice(0, OFFERED_AT_MOST);
    const where = document.getElementById("table-list") ? "in the list" : "on the plan"; // the list page marks rows
    picking.hidden = false;
    hint.textContent = pickingWords(moving, tables.length > 0, where);
    const onThePlan = chip(
      `${where[0].toUpperCase()}${where.slice(1)}…`,
      moving ? `Move the party: tap the table ${where}` : `Add a table: tap it ${where}`,
      () => {
        close();
        onPlan(kind);
      },
      "covers-chip covers-chip--plan",
    );
    offer.replaceChildren(
      ...(tables.length ? [onThePlan] : []),
      ...tables.map((one) =>
        chip(`${one.tableNumber} · ${one.capacity} seats`, `${moving ? "Move the party to" : "Add"} ${one.tableNumber}, ${one.capacity} seats`, () => {
          if (moving) actions.move(table.partyId, table, one);
          else actions.join(table.partyId, table, one);
          close();
        }),
      ),
    );
  };
  for (const button of choices) {
    button.onclick = () => {
      for (const other of choices) other.setAttribute("aria-pressed", String(other === button));
      list(button.dataset.partyTablesChoice);
    };
  }
  section.querySelector("[data-party-tables-cancel]").onclick = () => {
    const pressed = choices.find((choice) => choice.getAttribute("aria-pressed") === "true");
    stop();
    pressed?.focus();
  };
}
