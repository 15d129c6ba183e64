/** A `@Transform` for a duration: `900`, `900s`, `15m`, `1h`, `1d` → seconds; anything else passes on. */
export const toSeconds = ({ value }: { value: unknown }): unknown => {
  const match = typeof value === 'string' ? /^(\d+)([smhd]?)$/.exec(value) : null;
  if (!match) return value;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2]] ?? 1;
  return Number(match[1]) * unit;
};
