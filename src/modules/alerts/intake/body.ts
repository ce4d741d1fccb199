import { MAX_EVENT_BYTES, type IntakeIssue } from './common.js';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; issue: IntakeIssue };

/** Size check then JSON parse, so an oversized or malformed body is refused with its reason. */
export function parseJsonBody(raw: string | Uint8Array, maxBytes = MAX_EVENT_BYTES): ParsedBody {
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
  if (bytes > maxBytes) {
    return {
      ok: false,
      issue: { path: '', message: `Body is ${bytes} bytes; the limit is ${maxBytes}` },
    };
  }
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, issue: { path: '', message: `Malformed JSON: ${(e as Error).message}` } };
  }
}
