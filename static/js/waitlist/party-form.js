// A party's fields in a form (the walk-in form and the party's edit dialog), and the edit dialog.

const TEXT = ["name", "phone", "notes"];

/** The fields a form holds: blank text is left out, numbers are whole numbers, tags a list. */
export function fieldsOf(form) {
  const fields = {};
  for (const name of TEXT) {
    const value = form.elements[name]?.value.trim();
    if (value) fields[name] = value;
  }
  for (const name of ["size", "quotedMinutes"]) {
    const input = form.elements[name];
    if (input && input.value !== "") fields[name] = Number(input.value);
  }
  fields.tags = [...form.querySelectorAll('input[name="tags"]:checked')].map((box) => box.value);
  if (!fields.tags.length) delete fields.tags;
  return fields;
}

/** Only what the host changed: a cleared text is null, cleared tags an empty list. */
function changesTo(party, fields) {
  const changes = {};
  for (const name of TEXT) if ((fields[name] ?? null) !== (party[name] ?? null)) changes[name] = fields[name] ?? null;
  for (const name of ["size", "quotedMinutes"]) {
    if (fields[name] !== undefined && fields[name] !== party[name]) changes[name] = fields[name];
  }
  const tags = fields.tags ?? [];
  if (tags.join() !== (party.tags ?? []).join()) changes.tags = tags;
  return changes;
}

export class PartyForm {
  /** onSave(party, changes) sends the changes. */
  constructor(dialog, onSave) {
    this.dialog = dialog;
    this.form = dialog.querySelector("[data-party-form]");
    this.party = null;
    for (const close of dialog.querySelectorAll("[data-party-form-close]")) close.addEventListener("click", () => dialog.close());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!this.form.reportValidity()) return;
      const changes = changesTo(this.party, fieldsOf(this.form));
      if (Object.keys(changes).length) onSave(this.party, changes);
      dialog.close();
    });
  }

  open(party) {
    this.party = party;
    const { elements } = this.form;
    this.dialog.querySelector("[data-party-form-title]").textContent = party.name ? `Edit ${party.name}` : `Edit party of ${party.size}`;
    elements.size.value = String(party.size);
    for (const name of TEXT) elements[name].value = party[name] ?? "";
    elements.quotedMinutes.value = party.quotedMinutes ?? "";
    for (const box of this.form.querySelectorAll('input[name="tags"]')) box.checked = (party.tags ?? []).includes(box.value);
    this.dialog.showModal();
    elements.name.focus();
  }
}
