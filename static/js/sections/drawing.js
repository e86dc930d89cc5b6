// Putting tables in a section on the plan: a tap (or Enter) on a table, or a rectangle dragged across them.

const SLOP = 6; // pixels a pointer moves before a press becomes a drag

/** Call onTap(tableId) for a tapped table and onBox(tableIds) for the tables a dragged box touches. */
export function drawOnPlan(plan, { onTap, onBox }) {
  const box = plan.querySelector("[data-drag-box]");
  let start = null;
  let dragging = false;

  plan.addEventListener("click", (event) => {
    const tile = event.target.closest("[data-table-id]");
    if (tile && !dragging) onTap(Number(tile.dataset.tableId));
  });

  const at = (event) => {
    const frame = plan.getBoundingClientRect();
    return { x: event.clientX - frame.left, y: event.clientY - frame.top };
  };
  const rectangle = (a, b) => ({
    left: Math.min(a.x, b.x),
    top: Math.min(a.y, b.y),
    right: Math.max(a.x, b.x),
    bottom: Math.max(a.y, b.y),
  });

  plan.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || event.target.closest("[data-table-id]")) return;
    start = at(event);
    dragging = false;
    plan.setPointerCapture(event.pointerId);
  });
  plan.addEventListener("pointermove", (event) => {
    if (!start) return;
    const now = at(event);
    if (!dragging && Math.hypot(now.x - start.x, now.y - start.y) < SLOP) return;
    dragging = true;
    const { left, top, right, bottom } = rectangle(start, now);
    Object.assign(box.style, { left: `${left}px`, top: `${top}px`, width: `${right - left}px`, height: `${bottom - top}px` });
    box.hidden = false;
  });
  plan.addEventListener("pointerup", (event) => {
    if (!start) return;
    const area = rectangle(start, at(event));
    start = null;
    box.hidden = true;
    if (!dragging) return;
    const frame = plan.getBoundingClientRect();
    const inside = [...plan.querySelectorAll("[data-table-id]")].filter((tile) => {
      const r = tile.getBoundingClientRect();
      const [left, top] = [r.left - frame.left, r.top - frame.top];
      return left < area.right && left + r.width > area.left && top < area.bottom && top + r.height > area.top;
    });
    onBox(inside.map((tile) => Number(tile.dataset.tableId)));
    setTimeout(() => (dragging = false)); // the click that ends a drag is not a tap
  });
}
