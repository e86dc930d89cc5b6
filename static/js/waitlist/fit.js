// Which free tables fit a party: the smallest free table with enough seats, or, when none has,
// free tables side by side on one floor whose seats together are enough. Read from the tables the
// page holds (the floors this person may see), as they show now (a change waiting to sync counts).

// Two tables are neighbours when the gap between them is at most this, in plan units (a chair's room).
const NEIGHBOUR_GAP = 120;
const MOST_TOGETHER = 4;

const free = (tables) => tables.filter((table) => table.status === "available");
const byNumber = (a, b) => a.tableNumber.localeCompare(b.tableNumber, undefined, { numeric: true });

/** Free tables with seats enough for `size`, the smallest first. */
export function fittingTables(tables, size) {
  return free(tables)
    .filter((table) => table.capacity >= size)
    .sort((a, b) => a.capacity - b.capacity || byNumber(a, b));
}

/** The gap between two tables' boxes (0 when they touch or overlap). */
function gap(a, b) {
  const dx = Math.max(0, Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width));
  const dy = Math.max(0, Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height));
  return Math.hypot(dx, dy);
}

/** From one table, add the nearest free neighbour of the group until the seats are enough. */
function growFrom(anchor, others, size) {
  const group = [anchor];
  let seats = anchor.capacity;
  let distance = 0;
  while (seats < size && group.length < MOST_TOGETHER) {
    let best = null;
    for (const table of others) {
      if (group.includes(table)) continue;
      const near = Math.min(...group.map((member) => gap(member, table)));
      if (near <= NEIGHBOUR_GAP && (!best || near < best.near)) best = { table, near };
    }
    if (!best) return null;
    group.push(best.table);
    seats += best.table.capacity;
    distance += best.near;
  }
  return seats >= size ? { tables: group, seats, distance } : null;
}

/** Free neighbouring tables on one floor that seat `size` together: the fewest tables, then the fewest spare seats. */
export function neighbouringTables(tables, size) {
  const open = free(tables);
  let best = null;
  for (const anchor of open) {
    const group = growFrom(
      anchor,
      open.filter((table) => table.floor === anchor.floor),
      size,
    );
    if (!group) continue;
    const order = best && (group.tables.length - best.tables.length || group.seats - best.seats || group.distance - best.distance);
    if (!best || order < 0) best = group;
  }
  return best ? [...best.tables].sort(byNumber) : [];
}

/**
 * The tables to suggest for a party: {tableIds, label, together} or null when nothing free fits.
 * One table when one fits; else neighbours to put together.
 */
export function suggestion(tables, size) {
  const [single] = fittingTables(tables, size);
  if (single) return { tableIds: [single.tableId], label: single.tableNumber, together: false };
  const group = neighbouringTables(tables, size);
  if (!group.length) return null;
  return { tableIds: group.map((table) => table.tableId), label: group.map((table) => table.tableNumber).join(" + "), together: true };
}
