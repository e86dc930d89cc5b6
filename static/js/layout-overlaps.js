// Which tables of a layout overlap: turned rectangles and round tables, as drawn on the plan.

const TOUCHING = 0.5; // plan units; tables set edge to edge do not count as overlapping

function outline(table) {
  const turn = ((table.rotation || 0) * Math.PI) / 180;
  return {
    x: table.x + table.width / 2,
    y: table.y + table.height / 2,
    halfW: table.width / 2,
    halfH: table.height / 2,
    cos: Math.cos(turn),
    sin: Math.sin(turn),
    circle: table.shape === "round" && table.width === table.height,
  };
}

function corners(shape) {
  return [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([sx, sy]) => {
    const dx = sx * shape.halfW;
    const dy = sy * shape.halfH;
    return [shape.x + dx * shape.cos - dy * shape.sin, shape.y + dx * shape.sin + dy * shape.cos];
  });
}

function axes(shape) {
  return [
    [shape.cos, shape.sin],
    [-shape.sin, shape.cos],
  ];
}

function spread(points, [ax, ay]) {
  const values = points.map(([px, py]) => px * ax + py * ay);
  return [Math.min(...values), Math.max(...values)];
}

// Separating axes: two rectangles are apart when some edge direction separates their shadows.
function rectanglesOverlap(a, b) {
  const cornersA = corners(a);
  const cornersB = corners(b);
  return [...axes(a), ...axes(b)].every((axis) => {
    const [minA, maxA] = spread(cornersA, axis);
    const [minB, maxB] = spread(cornersB, axis);
    return maxA - minB > TOUCHING && maxB - minA > TOUCHING;
  });
}

function circleOverlapsRectangle(circle, rect) {
  // The circle's centre in the rectangle's own (unturned) frame, then the nearest point of the rectangle.
  const dx = circle.x - rect.x;
  const dy = circle.y - rect.y;
  const localX = dx * rect.cos + dy * rect.sin;
  const localY = -dx * rect.sin + dy * rect.cos;
  const nearX = Math.max(-rect.halfW, Math.min(rect.halfW, localX));
  const nearY = Math.max(-rect.halfH, Math.min(rect.halfH, localY));
  return Math.hypot(localX - nearX, localY - nearY) < circle.halfW - TOUCHING;
}

/** True when the two tables cover some of the same floor. */
export function tablesOverlap(first, second) {
  const a = outline(first);
  const b = outline(second);
  if (a.circle && b.circle) return Math.hypot(a.x - b.x, a.y - b.y) < a.halfW + b.halfW - TOUCHING;
  if (a.circle) return circleOverlapsRectangle(a, b);
  if (b.circle) return circleOverlapsRectangle(b, a);
  return rectanglesOverlap(a, b);
}

/** Every overlapping pair of the tables, each pair once, in table-number order. */
export function overlappingPairs(tables) {
  const sorted = [...tables].sort((a, b) => a.tableNumber.localeCompare(b.tableNumber, undefined, { numeric: true }));
  const pairs = [];
  sorted.forEach((table, index) => {
    for (const other of sorted.slice(index + 1)) if (tablesOverlap(table, other)) pairs.push([table, other]);
  });
  return pairs;
}
