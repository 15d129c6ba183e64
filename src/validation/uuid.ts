const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in its 8-4-4-4-12 hex spelling, any letter case (what a uuid column accepts). */
export const isUuid = (value: string): boolean => UUID.test(value);
