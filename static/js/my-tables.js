// "My tables": a host sees every table (All), the tables of the sections they look after before the
// others (Mine first), or theirs alone (Mine only); the choice is kept on the device. Assignments
// change live, so which tables are someone's is read from each table's assignee at every drawing.

const KEY = "tableside:my-tables";
const MODES = ["all", "first", "only"];

function keptMode() {
  const kept = localStorage.getItem(KEY);
  if (MODES.includes(kept)) return kept;
  return kept === "on" ? "first" : "all"; // the earlier on/off switch meant "first"
}

export class MyTables {
  /** onChange() redraws the view when the person picks another mode. */
  constructor(me, onChange) {
    this.userId = me.userId;
    this.buttons = [...document.querySelectorAll("[data-my-tables] [data-my-tables-mode]")];
    this.empty = document.querySelector("[data-my-tables-empty]");
    this.mode = keptMode();
    for (const button of document.querySelectorAll("[data-my-tables-mode]")) {
      button.addEventListener("click", () => {
        this.mode = button.dataset.myTablesMode;
        localStorage.setItem(KEY, this.mode);
        this.show();
        onChange();
      });
    }
    this.show();
  }

  /** Mine first or Mine only. */
  get on() {
    return this.mode !== "all";
  }

  get only() {
    return this.mode === "only";
  }

  show() {
    for (const button of this.buttons) button.setAttribute("aria-pressed", String(button.dataset.myTablesMode === this.mode));
    document.body.classList.toggle("is-my-tables", this.on);
    document.body.classList.toggle("is-my-tables-only", this.only);
  }

  mine(table) {
    return table.assignee != null && table.assignee.userId === this.userId;
  }

  /** With Mine first or Mine only, the person's own tables sort before the others. */
  compare(a, b) {
    return this.on ? Number(this.mine(b)) - Number(this.mine(a)) : 0;
  }

  /** The tables a list or the cards show: with Mine only, the person's own. */
  keep(tables) {
    return this.only ? tables.filter((table) => this.mine(table)) : tables;
  }

  /** Mark an element as one of the person's tables or not (the style dims the others while the switch is on). */
  mark(element, table) {
    element.classList.toggle("is-mine", this.mine(table));
  }

  /** Say so, with a way back to every table, when the person asked for theirs and has none among `tables`; true then. */
  showEmpty(tables) {
    const none = this.on && !tables.some((table) => this.mine(table));
    if (this.empty) this.empty.hidden = !none;
    return none;
  }
}
