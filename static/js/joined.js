// Tables joined for one party: the tables sharing its partyId (the party's tables, derived on the page),
// named together on each of them, "T-08 + T-09", in words, never by colour alone.

let store = null;

const byNumber = (a, b) => a.tableNumber.localeCompare(b.tableNumber, undefined, { numeric: true });

/** The tables seated with `table`'s party, itself among them, in table-number order; none for a party of one table. */
export function joinedWith(table) {
  if (!store || table.partyId == null) return [];
  const together = store.all().filter((one) => one.partyId === table.partyId && one.status === "occupied");
  return together.length > 1 ? together.sort(byNumber) : [];
}

/** "T-08 + T-09" for a joined table, "" otherwise. */
export const joinedText = (table) => joinedWith(table).map((one) => one.tableNumber).join(" + ");

/** Keep the joined labels current: a table gaining or losing its party repaints the party's other tables. */
export function followJoined(tables) {
  store = tables;
  tables.subscribe((change) => {
    if (change.kind !== "changed" && change.kind !== "added") return;
    const before = change.previous?.partyId ?? null;
    const now = tables.get(change.id)?.partyId ?? null;
    if (before === now) return;
    const others = tables.all().some((one) => one.tableId !== change.id && one.partyId != null && [before, now].includes(one.partyId));
    if (others) tables.notify({ kind: "service", cause: "joined" });
  });
}
