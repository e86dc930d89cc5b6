// Undo at the door: after a seating from the line, a move or a join the host made (sent at once, not
// from the queue), the notice of undo.js says what was done, on the table it happened at. Its undo is a
// new change sent like any other at the door, carrying the party's version the change left
// (`expectedVersion`), so the server refuses it, naming who, when the party or a table changed since.

import { partyName } from "./wait-words.js";

const numbers = (tables) => tables.map((table) => table.number).join(" + ");

/**
 * What a saved change offers to undo, given the party the server answered: {tableId, words, change}
 * (change is the door change that takes it back), or null for a change with no undo.
 */
export function undoOf(entry, party) {
  const expectedVersion = party.version;
  const back = { partyId: entry.partyId, undo: true };
  if (entry.kind === "seat") {
    return {
      tableId: entry.tables[0].tableId,
      words: `${entry.label} seated at ${numbers(entry.tables)}.`,
      change: { ...back, kind: "unseat", body: { expectedVersion }, label: partyName(party) },
    };
  }
  if (entry.kind === "move") {
    const { from, to } = entry.tables;
    const body = { fromTableId: to.tableId, toTableId: from.tableId, expectedStatus: "available", expectedVersion };
    return {
      tableId: to.tableId,
      words: `${entry.label} moved to ${to.number}.`,
      change: { ...back, kind: "move", body, label: `The party at ${to.number}` },
    };
  }
  if (entry.kind === "join") {
    const { at, joined } = entry.tables;
    return {
      tableId: joined.tableId,
      words: `${joined.number} joined to ${entry.label.replace(/^The/, "the")}.`,
      change: { ...back, kind: "unjoin", body: { tableId: joined.tableId, expectedVersion }, label: `The party at ${at.number}` },
    };
  }
  return null;
}
