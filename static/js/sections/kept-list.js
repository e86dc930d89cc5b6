// Things of the floors a page shows, kept by id (its sections, its shift presets): replaced whole from the
// page's state or a sync's snapshot, changed one at a time by live events, read a floor at a time by name.

export class KeptList {
  /** `idOf(item)` is an item's id; `onChange(items)` runs after every change, before the listeners. */
  constructor(idOf, onChange = () => {}) {
    this.items = new Map();
    this.listeners = new Set();
    this.idOf = idOf;
    this.onChange = onChange;
  }

  /** Every item at once (the page's first state, or a sync's snapshot). */
  replace(list) {
    this.items.clear();
    for (const item of list ?? []) this.items.set(this.idOf(item), item);
    this.changed();
  }

  get(id) {
    return this.items.get(id);
  }

  /** Put `item` in place of the one of its id (or add it); with `merge`, only over one already kept. */
  put(item, { merge = false } = {}) {
    const id = this.idOf(item);
    const before = this.items.get(id);
    if (!merge) this.items.set(id, item);
    else if (before) this.items.set(id, { ...before, ...item });
    this.changed();
  }

  remove(id) {
    this.items.delete(id);
    this.changed();
  }

  /** A floor's items by name. */
  onFloor(floor) {
    return [...this.items.values()].filter((item) => item.floor === floor).sort((a, b) => a.name.localeCompare(b.name));
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed() {
    this.onChange([...this.items.values()]);
    for (const listener of this.listeners) listener();
  }
}
