// Lookups and ratios between results, shared by the tables and the targets.
export const find = (results, server, row) =>
  results.find((r) => r.server === server && r.row === row);

export const baselineOf = (results, r) => find(results, 'baseline', r.row);
export const peerOf = (results, r) => find(results, 'peer', r.row);

/** a ÷ b on answers per second; undefined when either is missing or an invalid run. */
export function ratio(a, b) {
  if (!a || !b || !a.valid || !b.valid || !b.okRps) return undefined;
  return a.okRps / b.okRps;
}

export const times = (value) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);

/** "met" or "missed by X" for a figure against an at-least goal (or at-most with `atMost`). */
export function verdict(value, goal, { atMost = false, unit = '×', digits = 2 } = {}) {
  if (value === undefined || Number.isNaN(value)) return 'no figure';
  const ok = atMost ? value <= goal : value >= goal;
  if (ok) return 'met';
  return `missed by ${Math.abs(value - goal).toFixed(digits)}${unit}`;
}

/** A ratio with its goal beside it, for a table cell: `0.37× (≥0.70 missed by 0.33×)`. */
export function ratioCell(value, goal) {
  if (value === undefined) return 'n/a';
  if (goal === undefined) return times(value);
  const result = verdict(value, goal);
  return `${times(value)} (≥${goal.toFixed(2)} ${result === 'met' ? 'met' : result})`;
}
