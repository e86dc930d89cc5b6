// One row of the list view.

import { relativeTime, setPending, setStatusClasses, showService, statusBadge } from "./table-render.js";

/** A cell; `column` names the ones a phone leaves out. */
function cell(className = "", column = "") {
  const td = document.createElement("td");
  if (className) td.className = className;
  if (column) td.dataset.column = column;
  return td;
}

/** A new row with the cells the server renders. */
export function createStatusRow(table, selectable) {
  const row = document.createElement("tr");
  row.dataset.tableId = table.tableId;
  if (selectable) {
    const select = cell("table-list__select");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.selectTable = "";
    select.append(box);
    row.append(select);
  }
  const open = document.createElement("button");
  open.type = "button";
  open.className = "row__open";
  open.dataset.openTable = "";
  const first = cell();
  first.append(open);
  const since = document.createElement("time");
  const sinceCell = cell();
  sinceCell.append(since);
  const notes = document.createElement("span");
  notes.className = "row__notes";
  const notesCell = cell("", "notes");
  notesCell.append(notes);
  row.append(first, cell("", "floor"), cell("", "section"), cell(), cell(), sinceCell, notesCell);
  return row;
}

/** Covers, timer and assignee beside a row's status badge. */
function serviceSlots() {
  const service = document.createElement("span");
  service.className = "row__service";
  for (const [name, className] of [["covers", "row__covers"], ["timer", "row__timer"], ["assignee", "row__assignee"]]) {
    const slot = document.createElement("span");
    slot.className = className;
    slot.dataset[name] = "";
    slot.hidden = true;
    service.append(slot);
  }
  return service;
}

export function updateRow(row, table, labels, floorNames, selected) {
  setStatusClasses(row, "row", table);
  setPending(row, table);
  const box = row.querySelector("[data-select-table]");
  if (box) {
    box.checked = selected;
    box.setAttribute("aria-label", `Select ${table.tableNumber}`);
  }
  const cells = row.querySelectorAll("td");
  const offset = box ? 1 : 0;
  cells[offset].querySelector(".row__open").textContent = table.tableNumber;
  cells[offset + 1].textContent = floorNames.get(table.floor) ?? String(table.floor);
  cells[offset + 2].textContent = table.section ?? "";
  cells[offset + 3].textContent = String(table.capacity);
  const statusCell = cells[offset + 4];
  const badge = statusCell.querySelector(".badge");
  if (!badge || !badge.classList.contains(`badge--${table.status}`)) {
    statusCell.querySelector(".badge")?.remove();
    statusCell.prepend(statusBadge(table.status, labels));
  }
  if (!statusCell.querySelector(".row__service")) statusCell.append(serviceSlots());
  showService(row, table);
  const time = cells[offset + 5].querySelector("time");
  time.dateTime = table.statusChangedAt ?? "";
  time.dataset.since = table.statusChangedAt ?? "";
  time.textContent = relativeTime(table.statusChangedAt);
  cells[offset + 6].querySelector(".row__notes").textContent = table.notes ?? "";
}
