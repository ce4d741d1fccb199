import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to its addresses (injected in tests). */
export type Resolver = (host: string) => Promise<string[]>;

export interface SsrfPolicy {
  /** Admin allow-list: CIDRs ("10.1.0.0/16", "127.0.0.1/32"), single addresses or exact host names. */
  allow: readonly string[];
  resolve: Resolver;
}

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export type UrlCheck =
  | { ok: true; url: URL; addresses: string[] }
  | {
      ok: false;
      reason: 'malformed' | 'scheme' | 'credentials' | 'unresolvable' | 'private_address';
      address?: string;
    };

interface Ip {
  v: 4 | 6;
  n: bigint;
}

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(input: string): bigint | null {
  let s = input.split('%')[0]!.toLowerCase();
  let tail: bigint[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    s = `${s.slice(0, lastColon + 1)}${tail.length ? 'x:x' : ''}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const toGroups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  const total = 8;
  const fill = halves.length === 2 ? total - head.length - rest.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== total)) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...rest];
  let n = 0n;
  let ti = 0;
  for (const g of groups) {
    let v: bigint;
    if (g === 'x') v = tail[ti++]!;
    else if (/^[0-9a-f]{1,4}$/.test(g)) v = BigInt(parseInt(g, 16));
    else return null;
    n = (n << 16n) | v;
  }
  return groups.length === total ? n : null;
}

export function parseIp(s: string): Ip | null {
  const t = s.replace(/^\[|\]$/g, '');
  const kind = isIP(t.split('%')[0]!);
  if (kind === 4) {
    const n = parseV4(t);
    return n === null ? null : { v: 4, n };
  }
  if (kind === 6) {
    const n = parseV6(t);
    return n === null ? null : { v: 6, n };
  }
  return null;
}

interface Cidr {
  v: 4 | 6;
  base: bigint;
  bits: number;
}

function parseCidr(s: string): Cidr | null {
  const [addr, len] = s.split('/');
  const ip = parseIp(addr ?? '');
  if (ip === null) return null;
  const max = ip.v === 4 ? 32 : 128;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  return { v: ip.v, base: ip.n, bits };
}

function inCidr(ip: Ip, c: Cidr): boolean {
  if (ip.v !== c.v) return false;
  const width = BigInt(ip.v === 4 ? 32 : 128);
  const shift = width - BigInt(c.bits);
  return ip.n >> shift === c.base >> shift;
}

const BLOCKED = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8',
  '100.64.0.0/10', // CGNAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
  '::/128',
  '::1/128',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // old site-local
  'ff00::/8', // multicast
].map((c) => parseCidr(c)!);

/** IPv6 forms that carry an IPv4 address the packet really goes to. */
function embeddedV4(ip: Ip): Ip | null {
  if (ip.v !== 6) return null;
  const low32 = ip.n & 0xffffffffn;
  const high96 = ip.n >> 32n;
  if (high96 === 0xffffn) return { v: 4, n: low32 }; // ::ffff:a.b.c.d mapped
  if (high96 === 0n && low32 > 1n) return { v: 4, n: low32 }; // ::a.b.c.d compatible
  if (high96 === 0x0064ff9b0000000000000000n) return { v: 4, n: low32 }; // NAT64 64:ff9b::/96
  if (ip.n >> 112n === 0x2002n) return { v: 4, n: (ip.n >> 80n) & 0xffffffffn }; // 6to4
  return null;
}

/** Loopback, link-local, private, CGNAT, reserved — or an IPv6 wrapping one of those. */
export function isPrivateAddress(address: string): boolean {
  const ip = parseIp(address);
  if (ip === null) return true; // unreadable: refuse rather than guess
  const inner = embeddedV4(ip);
  if (inner !== null && isPrivateIp(inner)) return true;
  return isPrivateIp(ip);
}

function isPrivateIp(ip: Ip): boolean {
  return BLOCKED.some((c) => inCidr(ip, c));
}

function allowed(address: string, host: string, allow: readonly string[]): boolean {
  const ip = parseIp(address);
  for (const entry of allow) {
    const c = parseCidr(entry.trim());
    if (c !== null) {
      if (ip !== null && (inCidr(ip, c) || (embeddedV4(ip) !== null && inCidr(embeddedV4(ip)!, c))))
        return true;
    } else if (entry.trim().toLowerCase() === host) return true;
  }
  return false;
}

/**
 * Checks a webhook URL before each request: http(s) only, no credentials in it, and every
 * address the host resolves to must be public unless the admin allow-list permits it.
 */
export async function checkWebhookUrl(raw: string, policy: SsrfPolicy): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: string[];
  if (parseIp(host) !== null) addresses = [host];
  else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      return { ok: false, reason: 'unresolvable' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'unresolvable' };
  }
  for (const a of addresses) {
    if (isPrivateAddress(a) && !allowed(a, host, policy.allow)) {
      return { ok: false, reason: 'private_address', address: a };
    }
  }
  return { ok: true, url, addresses };
}
