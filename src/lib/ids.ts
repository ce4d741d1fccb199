import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered id (UUIDv7): sorts by creation time and is unique across processes. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_RE.test(value);
}
