// The sections a manager is drawing, before Save: each section (a saved one keeps its id, a new one has
// a key of its own), its colour, who looks after it and its tables. Save sends it whole as the floor's
// plan (PUT /api/floors/<floor>/sections/plan). The draft remembers the saved sections it started from,
// so another manager's saved change can be taken in under the unsaved ones (rebase).

let nextKey = -1; // new sections are keyed below zero, saved ones by their id

const FIELDS = ["name", "colour", "userId"];
const savedFields = (section) => ({ name: section.name, colour: section.colour, userId: section.assignee?.userId ?? null });
const same = (a, b) => FIELDS.every((field) => a[field] === b[field]);

export class SectionDraft {
  /** From the floor's saved sections and tables (as the API sends them). */
  constructor(sections, tables, palette) {
    this.palette = palette;
    this.reset(sections, tables);
  }

  /** Forget every unsaved change: the draft is the saved sections. */
  reset(sections, tables) {
    this.sections = [];
    this.placed = new Map(); // tableId -> section key
    this.base = new Map(); // sectionId -> its saved fields, as the draft last saw them
    this.basePlaced = new Map(); // tableId -> sectionId, as the draft last saw them
    this.rebase(sections, tables);
  }

  /**
   * Take in the sections and tables as saved now (another manager's change), keeping this draft's own
   * changes on top: what the draft left alone follows the saved state; what both changed keeps the
   * draft's. Returns {changed, clashes}: whether anything saved had changed, and the sections and tables
   * both changed (by name or number).
   */
  rebase(sections, tables) {
    const saved = new Map(sections.map((section) => [section.sectionId, savedFields(section)]));
    const clashes = new Set();
    const next = [];
    for (const mine of this.sections) {
      const was = mine.sectionId == null ? null : this.base.get(mine.sectionId);
      const now = mine.sectionId == null ? null : saved.get(mine.sectionId);
      if (!was) next.push(mine);
      else if (!now) {
        // Removed there: gone here too, unless changed here (then it is made again on Save).
        if (same(mine, was)) continue;
        clashes.add(mine.name);
        next.push({ ...mine, sectionId: null });
      } else {
        const merged = { ...mine };
        for (const field of FIELDS) {
          if (mine[field] === was[field]) merged[field] = now[field];
          else if (now[field] !== was[field] && now[field] !== mine[field]) clashes.add(mine.name);
        }
        next.push(merged);
      }
    }
    for (const section of sections) {
      if (this.base.has(section.sectionId) || next.some((mine) => mine.sectionId === section.sectionId)) continue;
      // Made there. A new section here of the same name becomes that one (a plan cannot name a section twice).
      const twin = next.find((mine) => mine.sectionId == null && mine.name.toLowerCase() === section.name.toLowerCase());
      if (twin) twin.sectionId = section.sectionId;
      else next.push({ key: section.sectionId, sectionId: section.sectionId, ...savedFields(section) });
    }
    const keyOf = (sectionId) => (sectionId == null ? null : (next.find((mine) => mine.sectionId === sectionId)?.key ?? null));
    const placed = new Map();
    for (const table of tables) {
      const mine = this.placed.get(table.tableId) ?? null;
      const was = this.basePlaced.get(table.tableId) ?? null;
      const now = table.sectionId ?? null;
      let key = mine;
      if (mine === keyOf(was) || (was != null && mine === was)) key = keyOf(now);
      else if (now !== was && keyOf(now) !== mine) clashes.add(table.tableNumber);
      if (key != null && next.some((section) => section.key === key)) placed.set(table.tableId, key);
    }
    const changed = !this.sameAsBase(saved, tables);
    this.sections = next;
    this.placed = placed;
    this.base = saved;
    this.basePlaced = new Map(tables.filter((table) => table.sectionId != null).map((table) => [table.tableId, table.sectionId]));
    return { changed, clashes: [...clashes] };
  }

  /** Whether `saved` sections and `tables`' sections are what the draft last saw as saved. */
  sameAsBase(saved, tables) {
    if (saved.size !== this.base.size) return false;
    for (const [sectionId, fields] of saved) if (!this.base.has(sectionId) || !same(fields, this.base.get(sectionId))) return false;
    const placed = tables.filter((table) => table.sectionId != null);
    return placed.length === this.basePlaced.size && placed.every((table) => this.basePlaced.get(table.tableId) === table.sectionId);
  }

  /** True when the draft differs from the saved sections: something to Save. */
  get dirty() {
    if (this.sections.length !== this.base.size) return true;
    for (const section of this.sections) {
      const was = section.sectionId == null ? null : this.base.get(section.sectionId);
      if (!was || !same(section, was)) return true;
    }
    if (this.placed.size !== this.basePlaced.size) return true;
    for (const [tableId, key] of this.placed) if (this.find(key)?.sectionId !== this.basePlaced.get(tableId)) return true;
    return false;
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
    return section.key;
  }

  change(key, fields) {
    Object.assign(this.find(key), fields);
  }

  remove(key) {
    this.sections = this.sections.filter((section) => section.key !== key);
    for (const [tableId, placed] of this.placed) if (placed === key) this.placed.delete(tableId);
  }

  /** Tap: a table of the section leaves it; any other joins it. */
  toggle(tableId, key) {
    if (this.placed.get(tableId) === key) this.placed.delete(tableId);
    else this.placed.set(tableId, key);
  }

  /** Drag: every table in the box joins the section. */
  put(tableIds, key) {
    for (const tableId of tableIds) this.placed.set(tableId, key);
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
