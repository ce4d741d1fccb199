import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  encodeShortToken,
  matchesPlan,
  normaliseForSearch,
  planSearch,
  shortTokens,
} from './short-query.js';

const docs = [
  '机房三楼交换机故障，整层断网',
  '打印机卡纸，请派人处理',
  'VPN 无法连接（5G 热点下正常）',
  '网页打不开',
];
const search = (q: string) =>
  docs.filter((d) => matchesPlan(planSearch(q), d, new Set(shortTokens(d))));

describe('short query examples', () => {
  it('finds 故障, 断网 and 网 through the token path', () => {
    expect(planSearch('故障').terms).toEqual([{ kind: 'token', token: '故障' }]);
    expect(search('故障')).toEqual([docs[0]]);
    expect(search('断网')).toEqual([docs[0]]);
    expect(search('网')).toEqual([docs[0], docs[3]]);
    expect(search('打印')).toEqual([docs[1]]);
  });
  it('normalises full-width and case, and mixes trigram and token terms', () => {
    expect(search('５g')).toEqual([docs[2]]);
    expect(search('vpn 热点')).toEqual([docs[2]]);
    expect(planSearch('交换机 断网 断网')).toEqual({
      terms: [
        { kind: 'trigram', text: '交换机' },
        { kind: 'token', token: '断网' },
      ],
    });
    expect(planSearch('   ').terms).toEqual([]);
  });
  it('tokenises into distinct unigrams and bigrams, never across whitespace', () => {
    expect(shortTokens('断网 断网').sort()).toEqual(['断', '断网', '网'].sort());
  });
});

const cjk = fc.constantFrom(
  ...'故障断网打印机服务器交换路由中心',
  'a',
  'B',
  '5',
  ' ',
  '，',
  '\n',
  'Ａ',
);
const text = fc.array(cjk, { maxLength: 40 }).map((a) => a.join(''));
const shortQuery = fc.array(cjk, { minLength: 1, maxLength: 2 }).map((a) => a.join(''));

describe('short query properties', () => {
  it('the token path agrees exactly with a brute-force includes on normalised text', () => {
    fc.assert(
      fc.property(
        text,
        fc.oneof(shortQuery, fc.string({ minLength: 1, maxLength: 2 })),
        (doc, q) => {
          const nq = normaliseForSearch(q).trim();
          fc.pre(nq.length > 0 && !/\s/.test(nq) && Array.from(nq).length <= 2);
          const tokens = new Set(shortTokens(doc));
          expect(matchesPlan(planSearch(q), doc, tokens)).toBe(
            normaliseForSearch(doc).includes(nq),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('any substring of 1–2 characters of a document, without whitespace, is among its tokens', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.integer({ min: 1, max: 2 }), (doc, start, len) => {
        const chars = Array.from(normaliseForSearch(doc));
        fc.pre(chars.length > 0);
        const i = start % chars.length;
        const sub = chars.slice(i, i + len).join('');
        fc.pre(!/\s/.test(sub));
        expect(shortTokens(doc)).toContain(sub);
      }),
    );
  });
});

describe('encodeShortToken', () => {
  it('is injective and gives one ASCII word the FTS5 ascii tokenizer keeps whole', () => {
    const token = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(token, token, (a, b) => {
        const ea = encodeShortToken(a);
        expect(ea).toMatch(/^[0-9a-fx]+$/);
        if (a !== b) expect(ea).not.toBe(encodeShortToken(b));
      }),
    );
    expect(encodeShortToken('故障')).toBe('6545x969c');
  });
});
