import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressesIn,
  bareAddress,
  guessLocale,
  judgeRawMessage,
  routeForAddress,
  routeForRecipients,
} from './mail-routing.js';

const DOMAINS = ['desk.example', 'support.example.cn'];
const local = fc
  .stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/)
  .filter((l) => !l.startsWith('alert+'));
const key = fc.stringMatching(/^[0-9a-f]{32}$/);
const ours = fc.constantFrom(...DOMAINS);
const theirs = fc.stringMatching(/^[a-z]{1,10}\.(com|net|org)$/);

describe('routing by recipient', () => {
  it('sends any address at our domains to the desk, alert+<key> to alerts, others nowhere', () => {
    fc.assert(
      fc.property(local, ours, theirs, key, (l, d, other, k) => {
        expect(routeForAddress(`${l}@${d}`, DOMAINS)).toEqual({ kind: 'desk' });
        expect(routeForAddress(`${l}@${d}`.toUpperCase(), DOMAINS)).toEqual({ kind: 'desk' });
        expect(routeForAddress(`${l}@${other}`, DOMAINS)).toBeNull();
        expect(routeForAddress(`alert+${k.toUpperCase()}@${d}`, DOMAINS)).toEqual({
          kind: 'alerts',
          key: k,
        });
        expect(routeForAddress(`alert+${k}@${other}`, DOMAINS)).toBeNull();
      }),
    );
  });

  it('refuses malformed alert addresses rather than taking them as desk mail', () => {
    expect(routeForAddress('alert+xyz@desk.example', DOMAINS)).toBeNull();
    expect(routeForAddress('alert+@desk.example', DOMAINS)).toBeNull();
    expect(routeForAddress('not an address', DOMAINS)).toBeNull();
  });

  it('lets an alert address win over the desk, whatever the order of recipients', () => {
    fc.assert(
      fc.property(fc.array(local, { maxLength: 4 }), key, fc.nat(5), (locals, k, at) => {
        const list = locals.map((l) => `${l}@desk.example`);
        list.splice(Math.min(at, list.length), 0, `alert+${k}@desk.example`);
        expect(routeForRecipients(list, DOMAINS)).toEqual({ kind: 'alerts', key: k });
      }),
    );
    expect(routeForRecipients(['a@x.com', 'b@desk.example'], DOMAINS)).toEqual({ kind: 'desk' });
    expect(routeForRecipients(['a@x.com'], DOMAINS)).toBeNull();
  });

  it('reads addresses out of recipient headers', () => {
    expect(addressesIn(['"Help, Desk" <Help@Desk.example>, b@x.com', 'c@y.org'])).toEqual([
      'help@desk.example',
      'b@x.com',
      'c@y.org',
    ]);
    expect(bareAddress('张三 <ZS@x.cn>')).toBe('zs@x.cn');
    expect(bareAddress('undisclosed-recipients:;')).toBeNull();
  });
});

describe('judging raw bytes after DATA', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
  const value = fc.stringMatching(/^[ -~]{0,60}$/);

  it('accepts anything that starts with header fields', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 8 }),
        fc.string(),
        fc.boolean(),
        (fields, body, crlf) => {
          const nl = crlf ? '\r\n' : '\n';
          const raw = fields.map(([n, v]) => `${n}: ${v}`).join(nl) + nl + nl + body;
          expect(judgeRawMessage(Buffer.from(raw))).toEqual({ ok: true });
        },
      ),
    );
  });

  it('refuses empty mail and mail that does not start with a header, with a 5xx', () => {
    expect(judgeRawMessage(Buffer.from(''))).toMatchObject({ ok: false, code: 554 });
    expect(judgeRawMessage(Buffer.from(' \r\n\r\n'))).toMatchObject({ ok: false, code: 554 });
    expect(judgeRawMessage(Buffer.from('hello world\r\n'))).toMatchObject({ ok: false, code: 554 });
    expect(judgeRawMessage(Buffer.from('Subject: a\0b\r\n\r\nx'))).toMatchObject({ ok: false });
    expect(
      judgeRawMessage(Buffer.from(`Subject: ${'x'.repeat(300_000)}\r\n\r\nbody`)),
    ).toMatchObject({ ok: false, code: 552 });
  });

  it('answers every byte string without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = judgeRawMessage(Buffer.from(bytes));
        if (!r.ok) expect(r.code).toBeGreaterThanOrEqual(500);
      }),
    );
  });
});

describe('the language to answer in', () => {
  it('is Chinese when there is any Chinese, English for Latin words, Chinese otherwise', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[\u4e00-\u9fa5]{1,5}$/), (s, zh) => {
        expect(guessLocale(s + zh)).toBe('zh');
      }),
    );
    expect(guessLocale('Printer broken')).toBe('en');
    expect(guessLocale('12345 !!')).toBe('zh');
  });
});
