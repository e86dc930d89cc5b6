// Undo: for 10 seconds after a change a host made, a notice offers to take it back. The undo is a
// change of its own (logged like any other), sent with what the host's change left as what it
// expects (a table's status; at the door, the party's version: waitlist/door-undo.js), so a change
// someone made since is refused and said, never overwritten.

import { hideNotice, showNotice } from "./notices.js";

export const UNDO_MS = 10000;

/** The change back to the table as it was shown before `entry`: its status, covers, notes and hold. */
export function undoChange({ status, notes, before }) {
  const options = { expectedStatus: status, undo: true };
  if (before.status === "occupied") options.covers = before.covers ?? null;
  // A clear undone seats the same party back, its timer going on from when it sat (not a new walk-in at 0 min).
  if (before.status === "occupied" && before.partyId != null) options.partyId = before.partyId;
  if (notes !== undefined && notes !== (before.notes ?? null)) options.notes = before.notes ?? null;
  if (before.status === "reserved") options.reservedUntil = before.reservedUntil ?? null;
  return { status: before.status, options };
}

/** Say what was done to `tableId` with "Undo" for UNDO_MS; a tap on Undo ends the notice and calls `undo`. */
export function offerUndoNotice(tableId, words, undo) {
  const id = `undo-${tableId}`;
  const onClick = () => {
    hideNotice(id);
    undo();
  };
  showNotice(id, words, { kind: "info", timeout: UNDO_MS, actions: [{ label: "Undo", primary: true, onClick }] });
}

/** After a saved status change (not itself an undo), say what was done with "Undo" for UNDO_MS. */
export function offerUndo(actions, entry, words) {
  if (entry.undo || !entry.before) return;
  const { status, options } = undoChange(entry);
  offerUndoNotice(entry.tableId, words, () => actions.change(entry.tableId, status, options));
}
