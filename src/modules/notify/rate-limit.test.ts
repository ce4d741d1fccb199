import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NotificationMessage } from './channel.js';
import { buildDigest } from './digest.js';
import {
  EMPTY_RATE_STATE,
  RATE_LIMITS,
  decideSend,
  markThrottled,
  type RateState,
} from './rate-limit.js';

const ding = RATE_LIMITS.dingtalk;

describe('decideSend', () => {
  it('sends 20 in a minute, holds the 21st until the first slot frees', () => {
    let s: RateState = EMPTY_RATE_STATE;
    for (let i = 0; i < 20; i++) {
      const d = decideSend(s, 1000 + i, ding);
      expect(d.decision).toBe('send');
      s = d.state;
    }
    expect(decideSend(s, 2000, ding)).toMatchObject({ decision: 'hold', until: 61_000 });
    expect(decideSend(s, 61_000, ding).decision).toBe('send');
  });

  it('holds for the provider penalty after a throttle reply', () => {
    const s = markThrottled(EMPTY_RATE_STATE, 5000, ding);
    expect(decideSend(s, 6000, ding)).toMatchObject({ decision: 'hold', until: 605_000 });
    expect(decideSend(s, 605_000, ding).decision).toBe('send');
  });

  it('never lets more than the limit through in any window, and every hold ends in the future', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 200 }), (gaps) => {
        let s: RateState = EMPTY_RATE_STATE;
        let t = 0;
        const sends: number[] = [];
        for (const g of gaps) {
          t += g;
          const d = decideSend(s, t, ding);
          if (d.decision === 'send') sends.push(t);
          else expect(d.until).toBeGreaterThan(t);
          s = d.state;
        }
        for (const a of sends)
          expect(sends.filter((b) => b >= a && b - a < ding.windowMs).length).toBeLessThanOrEqual(
            ding.limit,
          );
      }),
    );
  });

  it('sends a held digest at the time it was told to wait for', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 25, maxLength: 100 }),
        (gaps) => {
          let s: RateState = EMPTY_RATE_STATE;
          let t = 0;
          for (const g of gaps) {
            t += g;
            const d = decideSend(s, t, ding);
            s = d.state;
            if (d.decision === 'hold') {
              expect(decideSend(s, d.until, ding).decision).toBe('send');
              return;
            }
          }
        },
      ),
    );
  });
});

const msg = (i: number, severity: NotificationMessage['severity']): NotificationMessage => ({
  id: `m${i}`,
  kind: 'page',
  locale: 'en',
  title: `alert ${i}`,
  body: '',
  links: { view: `https://duty.example.com/pages/${i}` },
  ...(severity === undefined ? {} : { severity }),
});

describe('buildDigest', () => {
  it('passes a single message through and lists several, most severe first', () => {
    expect(buildDigest([], 'd')).toBeNull();
    expect(buildDigest([msg(1, 'info')], 'd')?.message.id).toBe('m1');
    const d = buildDigest([msg(1, 'info'), msg(2, 'critical'), msg(3, 'warning')], 'd1')!;
    expect(d.message).toMatchObject({
      id: 'd1',
      kind: 'digest',
      severity: 'critical',
      title: '3 notifications (rate limited, sent as one)',
    });
    expect(d.message.body.split('\n')[0]).toBe(
      '• [Critical] alert 2 https://duty.example.com/pages/2',
    );
  });

  it('accounts for every held message: listed or counted, and all ids included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('critical', 'error', 'warning', 'info', undefined), {
          minLength: 2,
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 30 }),
        (sevs, maxLines) => {
          const held = sevs.map((s, i) => msg(i, s));
          const d = buildDigest(held, 'd', maxLines)!;
          expect(new Set(d.includedIds)).toEqual(new Set(held.map((m) => m.id)));
          const listed = d.message.body.split('\n').filter((l) => l.startsWith('• ')).length;
          const more = /(\d+) more not listed/.exec(d.message.body);
          expect(listed + (more ? Number(more[1]) : 0)).toBe(held.length);
        },
      ),
    );
  });
});
