// "My tables": a host sees the tables of the sections they look after first, the rest dimmed; kept on the device.

const KEY = "tableside:my-tables";

export class MyTables {
  /** onChange() redraws the view when the switch is turned. */
  constructor(me, onChange) {
    this.userId = me.userId;
    this.button = document.querySelector("[data-my-tables]");
    this.on = localStorage.getItem(KEY) === "on";
    this.button?.addEventListener("click", () => {
      this.on = !this.on;
      localStorage.setItem(KEY, this.on ? "on" : "off");
      this.show();
      onChange();
    });
    this.show();
  }

  show() {
    this.button?.setAttribute("aria-pressed", String(this.on));
    document.body.classList.toggle("is-my-tables", this.on);
  }

  mine(table) {
    return table.assignee != null && table.assignee.userId === this.userId;
  }

  /** With the switch on, the person's own tables sort before the others. */
  compare(a, b) {
    return this.on ? Number(this.mine(b)) - Number(this.mine(a)) : 0;
  }

  /** Mark an element as one of the person's tables or not (the style dims the others while the switch is on). */
  mark(element, table) {
    element.classList.toggle("is-mine", this.mine(table));
  }
}
