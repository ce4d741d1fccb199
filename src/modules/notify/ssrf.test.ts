import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress, parseIp, type SsrfPolicy } from './ssrf.js';

const dns: Record<string, string[]> = {
  'oapi.dingtalk.com': ['106.11.23.1'],
  'rebind.example': ['93.184.216.34', '10.0.0.5'],
  'internal.corp': ['10.1.2.3'],
  'v6.example': ['2606:4700::6810:84e5'],
};
const policy = (allow: string[] = []): SsrfPolicy => ({
  allow,
  resolve: async (h) => {
    const a = dns[h];
    if (a === undefined) throw new Error('ENOTFOUND');
    return a;
  },
});

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '100.127.255.255',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2002:c0a8:0101::1',
    '::127.0.0.1',
    'not-an-ip',
  ])('refuses %s', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '192.169.0.1',
    '106.11.23.1',
    '2606:4700::6810:84e5',
    '::ffff:8.8.8.8',
    '2001:4860:4860::8888',
    '64:ff9b::808:808',
  ])('accepts %s', (a) => expect(isPrivateAddress(a)).toBe(false));

  const octet = fc.integer({ min: 0, max: 255 });
  const privateV4 = fc.oneof(
    fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
    fc
      .tuple(fc.integer({ min: 16, max: 31 }), octet, octet)
      .map(([b, c, d]) => `172.${b}.${c}.${d}`),
    fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
    fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`),
    fc
      .tuple(fc.integer({ min: 64, max: 127 }), octet, octet)
      .map(([b, c, d]) => `100.${b}.${c}.${d}`),
    fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
    fc.tuple(octet, octet, octet).map(([b, c, d]) => `0.${b}.${c}.${d}`),
  );
  const hex = (n: number) => n.toString(16);

  it('refuses every random private IPv4 address, plain and wrapped in IPv6', () => {
    fc.assert(
      fc.property(privateV4, (a) => {
        const [p, q, r, s] = a.split('.').map(Number) as [number, number, number, number];
        expect(isPrivateAddress(a)).toBe(true);
        expect(isPrivateAddress(`::ffff:${a}`)).toBe(true);
        expect(isPrivateAddress(`::ffff:${hex(p * 256 + q)}:${hex(r * 256 + s)}`)).toBe(true);
        expect(isPrivateAddress(`64:ff9b::${a}`)).toBe(true);
      }),
    );
  });

  it('refuses every random unique-local and link-local IPv6 address', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map(hex);
    fc.assert(
      fc.property(
        fc.integer({ min: 0xfc00, max: 0xfdff }),
        fc.array(group, { minLength: 7, maxLength: 7 }),
        (first, rest) => {
          expect(isPrivateAddress([hex(first), ...rest].join(':'))).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), group, (first, last) => {
        expect(isPrivateAddress(`${hex(first)}::${last}`)).toBe(true);
      }),
    );
  });

  it('parses IPv6 shorthand to the same number as the long form', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('0:0:0:0:0:ffff:7f00:0001'));
    expect(parseIp('[::1]')).toEqual(parseIp('0:0:0:0:0:0:0:1'));
  });
});

describe('checkWebhookUrl', () => {
  it('accepts a public https robot URL', async () => {
    const r = await checkWebhookUrl(
      'https://oapi.dingtalk.com/robot/send?access_token=x',
      policy(),
    );
    expect(r).toMatchObject({ ok: true, addresses: ['106.11.23.1'] });
  });

  it('refuses other schemes, credentials, unresolvable hosts and private targets', async () => {
    expect(await checkWebhookUrl('ftp://oapi.dingtalk.com/', policy())).toEqual({
      ok: false,
      reason: 'scheme',
    });
    expect(await checkWebhookUrl('file:///etc/passwd', policy())).toEqual({
      ok: false,
      reason: 'scheme',
    });
    expect(await checkWebhookUrl('https://u:p@oapi.dingtalk.com/', policy())).toEqual({
      ok: false,
      reason: 'credentials',
    });
    expect(await checkWebhookUrl('http://nowhere.invalid/', policy())).toEqual({
      ok: false,
      reason: 'unresolvable',
    });
    expect(await checkWebhookUrl('not a url', policy())).toEqual({
      ok: false,
      reason: 'malformed',
    });
    for (const u of [
      'http://127.0.0.1:8080/',
      'http://2130706433/', // decimal form of 127.0.0.1, normalised by the URL parser
      'http://0x7f.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://internal.corp/hook',
      'http://rebind.example/', // one private address among public ones is enough to refuse
    ]) {
      const r = await checkWebhookUrl(u, policy());
      expect(r.ok, u).toBe(false);
      if (!r.ok) expect(r.reason, u).toBe('private_address');
    }
  });

  it('lets the admin allow-list open specific ranges or hosts', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:9/', policy(['127.0.0.1/32']))).ok).toBe(true);
    expect((await checkWebhookUrl('http://127.0.0.2:9/', policy(['127.0.0.1/32']))).ok).toBe(false);
    expect((await checkWebhookUrl('http://internal.corp/', policy(['10.1.0.0/16']))).ok).toBe(true);
    expect((await checkWebhookUrl('http://internal.corp/', policy(['internal.corp']))).ok).toBe(
      true,
    );
    expect((await checkWebhookUrl('http://[::ffff:127.0.0.1]/', policy(['127.0.0.0/8']))).ok).toBe(
      true,
    );
  });
});
