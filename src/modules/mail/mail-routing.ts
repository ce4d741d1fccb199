/**
 * Pure rules of the mail intake: which of our addresses a mail is for, whether raw bytes are a
 * message at all, and the language a sender writes in. No I/O; the listener, the poller and the
 * processing job call these.
 */

export type MailRoute =
  { readonly kind: 'alerts'; readonly key: string } | { readonly kind: 'desk' };

/** `alert+<integration key>@<domain>`: an alert for the service of that email integration. */
const ALERT_LOCAL_PART = /^alert\+([0-9a-f]{32})$/i;
const ADDRESS = /^([^@\s<>"]+)@([^@\s<>"]+)$/;

/** The bare, lower-cased address of "Name <a@b>" or "a@b", or null when there is none. */
export function bareAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const inner = /<([^<>]*)>/.exec(value)?.[1] ?? value;
  const addr = inner.trim().toLowerCase();
  return ADDRESS.test(addr) ? addr : null;
}

/**
 * Where mail to `address` goes: alerts for `alert+<key>@` one of our domains, the service desk for
 * any other address at our domains, nowhere (null) for other domains — we are not a relay.
 */
export function routeForAddress(address: string, domains: readonly string[]): MailRoute | null {
  const m = ADDRESS.exec(address.trim().toLowerCase());
  if (!m) return null;
  const [, local, domain] = m;
  if (!domains.some((d) => d.toLowerCase() === domain)) return null;
  const alert = ALERT_LOCAL_PART.exec(local!);
  if (alert) return { kind: 'alerts', key: alert[1]!.toLowerCase() };
  if (/^alert\+/i.test(local!)) return null;
  return { kind: 'desk' };
}

/** The route of a mail with several recipients: an alert address wins over the desk. */
export function routeForRecipients(
  addresses: readonly string[],
  domains: readonly string[],
): MailRoute | null {
  let desk: MailRoute | null = null;
  for (const a of addresses) {
    const r = routeForAddress(a, domains);
    if (r?.kind === 'alerts') return r;
    desk ??= r;
  }
  return desk;
}

/** All addresses in recipient header values ("A <a@x>, b@y"), lower-cased. */
export function addressesIn(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values)
    for (const m of v.matchAll(/<([^<>\s]+@[^<>\s]+)>|([^\s<>",;:]+@[^\s<>",;:]+)/g)) {
      const a = (m[1] ?? m[2] ?? '').toLowerCase();
      if (a && !out.includes(a)) out.push(a);
    }
  return out;
}

export type RawJudgement =
  { readonly ok: true } | { readonly ok: false; readonly code: number; readonly message: string };

/** Where the header section ends (index of the blank line), or the length when there is no body. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : raw.length;
}

const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Whether bytes received after DATA are a message we can keep: refused with an SMTP answer when
 * they are empty, do not start with a header field, or carry a header section no mail needs.
 * Anything that passes is stored; what it means is decided later (and held if unusable).
 */
export function judgeRawMessage(raw: Buffer): RawJudgement {
  if (raw.toString('latin1').trim() === '')
    return { ok: false, code: 554, message: '5.6.0 Message is empty' };
  const end = headerEnd(raw);
  const head = raw.subarray(0, end);
  if (head.length > MAX_HEADER_BYTES)
    return { ok: false, code: 552, message: '5.3.4 Header section too large' };
  if (head.includes(0))
    return { ok: false, code: 554, message: '5.6.0 Header section contains NUL bytes' };
  const firstLine = head.toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (!/^[!-9;-~]+:/.test(firstLine))
    return { ok: false, code: 554, message: '5.6.0 Message does not start with a header field' };
  return { ok: true };
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/** The language to answer in: Chinese when the sender wrote any (or no words at all), else English. */
export function guessLocale(text: string): 'zh' | 'en' {
  if (CJK.test(text)) return 'zh';
  return /[A-Za-z]{2,}/.test(text) ? 'en' : 'zh';
}
