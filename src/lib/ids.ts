import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// uuid's own v7 asks webcrypto for 16 bytes per id: ~5 % of the server's CPU under the alert
// intake (2026-12-06 profile; a new alert makes ~5 ids). The bytes come from a pool filled by
// the same CSPRNG 512 ids at a time; the (msecs, seq) state that keeps ids of one process
// increasing within a millisecond is kept exactly as uuid keeps it.
const POOL_BYTES = 16 * 512;
let pool = new Uint8Array(0);
let offset = POOL_BYTES;
const state = { msecs: -Infinity, seq: 0 };

/** A new time-ordered id (UUIDv7): sorts by creation time and is unique across processes. */
export function newId(): string {
  if (offset >= POOL_BYTES) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  const now = Date.now();
  if (now > state.msecs) {
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_RE.test(value);
}
