// Each floor's name as the page shows it (switcher links, the list's floor column and filter, the
// page's title and heading), renamed live when a manager renames a floor (EVENTS.FLOOR_UPDATED, handled in live-events.js).

export const floorNames = new Map(); // floor -> name

let shownFloor = null; // the floor a plan page shows; null on the list

/** Take names from the page's state or a sync snapshot, and show any that changed. */
export function setFloorNames(floors) {
  for (const entry of floors ?? []) if (entry.name) renameFloor(entry.floor, entry.name);
}

/** Show `name` wherever the page names `floor`. */
export function renameFloor(floor, name) {
  const known = floorNames.get(floor);
  floorNames.set(floor, name);
  if (known === undefined || known === name) return;
  for (const link of document.querySelectorAll(`.floor-tabs [data-floor="${floor}"]`)) link.textContent = name;
  for (const option of document.querySelectorAll(`[data-list-filters] select[name="floor"] option[value="${floor}"]`)) {
    option.textContent = name;
  }
  if (floor === shownFloor) showFloorTitle(floor);
}

/** Name the floor a plan page shows in its title and heading (after a switch or a rename). */
export function showFloorTitle(floor) {
  shownFloor = floor;
  const name = floorNames.get(floor) ?? `Floor ${floor}`;
  const heading = document.querySelector("[data-floor-heading]");
  if (heading) heading.textContent = name;
  document.title = `${name} · Floor plan · Tableside`;
}
