/**
 * A WAL position (`pg_lsn`): PostgreSQL writes it as two hexadecimal halves, `16/B374D848`.
 * Compared as one 64-bit number.
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position `text` names, or undefined when it is not PostgreSQL's `pg_lsn` text. */
export function parseLsn(text: string): Lsn | undefined {
  const halves = LSN_TEXT.exec(text);
  if (!halves) return undefined;
  return (BigInt(`0x${halves[1]}`) << 32n) | BigInt(`0x${halves[2]}`);
}

/** PostgreSQL's own text for the position. */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
