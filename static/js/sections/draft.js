// The sections a manager is drawing, before Save: each section (a saved one keeps its id, a new one has
// a key of its own), its colour, who looks after it and its tables. Save sends it whole as the floor's
// plan (PUT /api/floors/<floor>/sections/plan).

let nextKey = -1; // new sections are keyed below zero, saved ones by their id

export class SectionDraft {
  /** From the floor's saved sections and tables (as the API sends them). */
  constructor(sections, tables, palette) {
    this.palette = palette;
    this.reset(sections, tables);
  }

  reset(sections, tables) {
    this.sections = sections.map((section) => ({
      key: section.sectionId,
      sectionId: section.sectionId,
      name: section.name,
      colour: section.colour,
      userId: section.assignee?.userId ?? null,
    }));
    this.placed = new Map(tables.filter((table) => table.sectionId != null).map((table) => [table.tableId, table.sectionId]));
    this.dirty = false;
  }

  find(key) {
    return this.sections.find((section) => section.key === key);
  }

  /** A new section with the next unused colour of the palette; returns its key. */
  add(name) {
    const used = new Set(this.sections.map((section) => section.colour));
    const colour = (this.palette.find((choice) => !used.has(choice.colour)) ?? this.palette[0]).colour;
    const section = { key: nextKey--, sectionId: null, name, colour, userId: null };
    this.sections.push(section);
    this.dirty = true;
    return section.key;
  }

  change(key, fields) {
    Object.assign(this.find(key), fields);
    this.dirty = true;
  }

  remove(key) {
    this.sections = this.sections.filter((section) => section.key !== key);
    for (const [tableId, placed] of this.placed) if (placed === key) this.placed.delete(tableId);
    this.dirty = true;
  }

  /** Tap: a table of the section leaves it; any other joins it. */
  toggle(tableId, key) {
    if (this.placed.get(tableId) === key) this.placed.delete(tableId);
    else this.placed.set(tableId, key);
    this.dirty = true;
  }

  /** Drag: every table in the box joins the section. */
  put(tableIds, key) {
    for (const tableId of tableIds) this.placed.set(tableId, key);
    this.dirty = true;
  }

  tablesOf(key) {
    return [...this.placed].filter(([, placed]) => placed === key).map(([tableId]) => tableId);
  }

  isTaken(name, key) {
    return this.sections.some((section) => section.key !== key && section.name.toLowerCase() === name.toLowerCase());
  }

  /** The body of PUT .../sections/plan. */
  plan() {
    return {
      sections: this.sections.map((section) => ({
        ...(section.sectionId ? { sectionId: section.sectionId } : {}),
        name: section.name,
        colour: section.colour,
        userId: section.userId,
        tableIds: this.tablesOf(section.key).sort((a, b) => a - b),
      })),
    };
  }
}
