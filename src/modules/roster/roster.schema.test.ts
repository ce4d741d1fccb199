import { describe, it, expect } from 'vitest';
import {
  postSchema,
  shiftSetSchema,
  shiftTypeSchema,
  overrideSchema,
  rosterSchema,
  restRulesSchema,
  defaultRestRules,
} from './roster.schema.js';
import { shiftTypes, posts } from './fixtures.test-helpers.js';

const st = (code: string, start: string, end: string) => ({
  id: `st-${code}`,
  code,
  name: code,
  start,
  end,
  breakMinutes: 0,
  colour: '#123456',
});
const post = (ids: string[]) => ({
  id: 'p',
  name: '技术',
  shiftTypeIds: ids,
  cover: [],
  requiredSkills: [],
});

describe('roster schemas', () => {
  it('accepts a normal three-shift team', () => {
    expect(shiftSetSchema.safeParse({ shiftTypes, posts }).success).toBe(true);
  });

  it('refuses zero-length shifts and overlapping shift types of one post, naming both codes', () => {
    const zero = shiftSetSchema.safeParse({ shiftTypes: [st('D', '08:00', '08:00')], posts: [] });
    expect(zero.error?.issues[0]).toMatchObject({
      message: 'roster.errors.shiftZeroLength',
      params: { code: 'D' },
    });
    const overlap = shiftSetSchema.safeParse({
      shiftTypes: [st('D', '08:00', '17:00'), st('N', '22:00', '08:30')],
      posts: [post(['st-D', 'st-N'])],
    });
    expect(overlap.error?.issues).toMatchObject([
      { message: 'roster.errors.shiftOverlap', params: { a: 'D', b: 'N', post: '技术' } },
    ]);
    // Touching ends do not overlap; the same shifts on different posts do not either.
    const ok = shiftSetSchema.safeParse({
      shiftTypes: [st('D', '08:00', '20:00'), st('N', '20:00', '08:00')],
      posts: [post(['st-D', 'st-N'])],
    });
    expect(ok.success).toBe(true);
  });

  it('refuses a post with no shift types and cover for a shift the post lacks', () => {
    expect(postSchema.safeParse(post([])).error?.issues[0]?.message).toBe(
      'roster.errors.postWithoutShifts',
    );
    const bad = postSchema.safeParse({
      ...post(['a']),
      cover: [{ shiftTypeId: 'b', dayKind: 'weekday', min: 1, preferred: 1 }],
    });
    expect(bad.error?.issues[0]).toMatchObject({
      message: 'roster.errors.coverShiftNotOnPost',
      params: { shiftTypeId: 'b' },
    });
    const pref = postSchema.safeParse({
      ...post(['a']),
      cover: [{ shiftTypeId: 'a', dayKind: 'holiday', min: 2, preferred: 1 }],
    });
    expect(pref.error?.issues[0]?.message).toBe('roster.errors.preferredBelowMin');
  });

  it('refuses unknown fields, bad times, colours and codes', () => {
    expect(shiftTypeSchema.safeParse({ ...st('D', '08:00', '16:00'), extra: 1 }).success).toBe(
      false,
    );
    expect(shiftTypeSchema.safeParse(st('D', '24:00', '16:00')).success).toBe(false);
    expect(shiftTypeSchema.safeParse({ ...st('D', '08:00', '16:00'), colour: 'red' }).success).toBe(
      false,
    );
    expect(shiftTypeSchema.safeParse(st('D@x', '08:00', '16:00')).success).toBe(false);
    expect(shiftTypeSchema.safeParse(st('夜', '22:00', '06:00')).success).toBe(true);
  });

  it('checks rosters, overrides and rules', () => {
    const r = {
      id: 'r',
      teamId: 't',
      timeZone: 'Asia/Shanghai',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    };
    expect(rosterSchema.parse(r).status).toBe('draft');
    expect(rosterSchema.safeParse({ ...r, timeZone: 'Mars/Base' }).success).toBe(false);
    expect(rosterSchema.safeParse({ ...r, periodEnd: '2026-02-30' }).success).toBe(false);
    expect(
      rosterSchema.safeParse({ ...r, periodEnd: '2026-02-28' }).error?.issues[0]?.message,
    ).toBe('roster.errors.periodReversed');
    const o = {
      id: 'o',
      postId: 'p',
      personId: 'x',
      startMs: 0,
      endMs: 10,
      reason: ' ',
      createdBy: 'm',
      createdAt: 0,
    };
    expect(overrideSchema.safeParse(o).error?.issues[0]?.message).toBe(
      'roster.errors.overrideReason',
    );
    expect(restRulesSchema.parse(defaultRestRules)).toEqual(defaultRestRules);
  });
});
