// Undo: for 10 seconds after a change a host made, a notice offers to take it back. The undo is a
// change of its own (logged like any other), sent with the status the host's change set as the
// status it expects, so a change someone made since is asked about with the usual conflict notice.

import { hideNotice, showNotice } from "./notices.js";

export const UNDO_MS = 10000;

/** The change back to the table as it was shown before `entry`: its status, covers, notes and hold. */
export function undoChange({ status, notes, before }) {
  const options = { expectedStatus: status, undo: true };
  if (before.status === "occupied") options.covers = before.covers ?? null;
  if (notes !== undefined && notes !== (before.notes ?? null)) options.notes = before.notes ?? null;
  if (before.status === "reserved") options.reservedUntil = before.reservedUntil ?? null;
  return { status: before.status, options };
}

/** After a saved change (not itself an undo), say what was done with "Undo" for UNDO_MS. */
export function offerUndo(actions, entry, words) {
  if (entry.undo || !entry.before) return;
  const id = `undo-${entry.tableId}`;
  const { status, options } = undoChange(entry);
  const undo = () => {
    hideNotice(id);
    actions.change(entry.tableId, status, options);
  };
  showNotice(id, words, { kind: "info", timeout: UNDO_MS, actions: [{ label: "Undo", primary: true, onClick: undo }] });
}
