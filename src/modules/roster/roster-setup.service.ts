import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import type { RequestConfig } from './requests.js';
import {
  type Post,
  type RestRules,
  type ShiftSetIssue,
  type TeamCalendar,
  postSchema,
  restRulesSchema,
  shiftSetIssues,
  shiftTypeSchema,
  teamCalendarSchema,
} from './roster.schema.js';
import * as store from './roster.store.js';
import { LIVE_STATUSES, type RosterContext, parseWith } from './roster-context.service.js';

export interface ShiftTypeInput {
  code: string;
  name: string;
  start: string;
  end: string;
  breakMinutes?: number;
  colour: string;
  night?: boolean;
}

export interface PostInput {
  name: string;
  shiftTypeIds: string[];
  cover?: Post['cover'];
  requiredSkills?: string[];
}

export interface SettingsInput {
  rules?: RestRules;
  calendar?: Partial<TeamCalendar>;
  config?: Partial<RequestConfig>;
}

/** "2026-12-01–2026-12-31 (31), …": the rosters a refused change would break, for the message. */
function periods(uses: readonly store.RosterUse[]): string {
  return uses.map((u) => `${u.periodStart}–${u.periodEnd} (${u.assignments})`).join(', ');
}

const issueKey = (i: ShiftSetIssue) => `${i.message}|${JSON.stringify(i.params)}`;

/** Issues of the changed set that the team's current set does not already have. */
function newIssues(before: ShiftSetIssue[], after: ShiftSetIssue[]): ShiftSetIssue[] {
  const known = new Set(before.map(issueKey));
  return after.filter((i) => !known.has(issueKey(i)));
}

/** A team's roster setup: shift types, posts with their cover, rules and people's skills. */
export function createSetupUseCases(c: RosterContext) {
  const { db, clock, directory } = c.deps;

  async function getSetup(teamId: string) {
    const ctx = await c.teamContext(db, await c.dirOf(teamId));
    return {
      team: { id: ctx.team.id, name: ctx.team.name, timeZone: ctx.team.timeZone },
      shiftTypes: ctx.shiftTypes,
      posts: ctx.posts,
      rules: ctx.settings.rules,
      calendar: ctx.settings.calendar,
      config: ctx.settings.config,
      people: ctx.people,
    };
  }

  async function createShiftType(actor: Actor, teamId: string, input: ShiftTypeInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const s = parseWith(shiftTypeSchema, { ...input, id: newId() });
      const existing = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const issue = shiftSetIssues([...existing, s], posts).find(
        (i) => i.path[0] === 'shiftTypes' && i.path[1] === existing.length,
      );
      if (issue) throw invalid(String(issue.path[2] ?? 'code'), issue.message, issue.params);
      await store.insertShiftType(trx, teamId, s, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.shiftType.create',
        entityType: 'roster_shift_type',
        entityId: s.id,
        after: { teamId, ...s },
      });
      return s;
    });
  }

  async function createPost(actor: Actor, teamId: string, input: PostInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const p = parseWith(postSchema, { ...input, id: newId() });
      const shiftTypes = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const issue = shiftSetIssues(shiftTypes, [...posts, p]).find(
        (i) => i.path[0] === 'posts' && i.path[1] === posts.length,
      );
      if (issue) {
        throw invalid(issue.path.slice(2).map(String).join('.'), issue.message, issue.params);
      }
      if (posts.some((x) => x.name === p.name)) {
        throw conflict('post_exists', 'roster.service.postNameTaken', { name: p.name }, 'name');
      }
      await store.insertPost(trx, teamId, p, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.post.create',
        entityType: 'roster_post',
        entityId: p.id,
        after: { teamId, ...p },
      });
      return p;
    });
  }

  async function shiftTypeOr404(trx: Parameters<typeof store.findShiftType>[0], id: string) {
    const found = await store.findShiftType(trx, id);
    if (!found) throw notFound('shiftType', id);
    return found;
  }

  async function postOr404(trx: Parameters<typeof store.findPost>[0], id: string) {
    const found = await store.findPost(trx, id);
    if (!found) throw notFound('post', id);
    return found;
  }

  /**
   * Edit a shift type. Its times cannot change while a published (or amended, or closed)
   * roster uses it: people confirmed those hours and the on-duty answer depends on them.
   * Code, name, colour and the night flag can always change.
   */
  async function updateShiftType(actor: Actor, id: string, input: ShiftTypeInput) {
    return db.transaction().execute(async (trx) => {
      const { teamId, shiftType: before } = await shiftTypeOr404(trx, id);
      const s = parseWith(shiftTypeSchema, { ...input, id });
      const existing = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const issue = newIssues(
        shiftSetIssues(existing, posts),
        shiftSetIssues(
          existing.map((x) => (x.id === id ? s : x)),
          posts,
        ),
      )[0];
      if (issue) {
        const field = issue.path[0] === 'shiftTypes' ? String(issue.path[2] ?? 'code') : 'start';
        throw invalid(field, issue.message, issue.params);
      }
      const timesChanged =
        s.start !== before.start || s.end !== before.end || s.breakMinutes !== before.breakMinutes;
      if (timesChanged) {
        const live = (await store.rostersUsing(trx, { shiftTypeId: id })).filter((u) =>
          LIVE_STATUSES.has(u.status),
        );
        if (live.length > 0) {
          throw conflict(
            'shift_type_in_use',
            'roster.service.shiftTimesInUse',
            { code: before.code, rosters: periods(live) },
            s.start !== before.start ? 'start' : s.end !== before.end ? 'end' : 'breakMinutes',
          );
        }
      }
      await store.updateShiftType(trx, s);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.shiftType.update',
        entityType: 'roster_shift_type',
        entityId: id,
        before: { teamId, ...before },
        after: { teamId, ...s },
      });
      return s;
    });
  }

  /**
   * Delete a shift type no roster uses. Posts that offer it lose it (and its cover lines);
   * a post for which it is the only shift type keeps it, and the delete is refused.
   */
  async function deleteShiftType(actor: Actor, id: string) {
    return db.transaction().execute(async (trx) => {
      const { teamId, shiftType } = await shiftTypeOr404(trx, id);
      const uses = await store.rostersUsing(trx, { shiftTypeId: id });
      if (uses.length > 0) {
        throw conflict(
          'shift_type_in_use',
          'roster.service.shiftTypeInUse',
          { code: shiftType.code, rosters: periods(uses) },
          'id',
        );
      }
      const posts = (await store.listPosts(trx, teamId)).filter((p) => p.shiftTypeIds.includes(id));
      const only = posts.find((p) => p.shiftTypeIds.length === 1);
      if (only) {
        throw conflict(
          'shift_type_in_use',
          'roster.service.shiftTypeOnlyOnPost',
          { code: shiftType.code, post: only.name },
          'id',
        );
      }
      for (const p of posts) {
        await store.updatePost(trx, {
          ...p,
          shiftTypeIds: p.shiftTypeIds.filter((x) => x !== id),
          cover: p.cover.filter((c) => c.shiftTypeId !== id),
        });
      }
      await store.deleteShiftType(trx, id);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.shiftType.delete',
        entityType: 'roster_shift_type',
        entityId: id,
        before: { teamId, ...shiftType },
        after: { removedFromPosts: posts.map((p) => p.id) },
      });
    });
  }

  /**
   * Edit a post: name, shift types, cover, required skills. A shift type that rosters have
   * assignments of on this post cannot be taken off it (those shifts would lose their post);
   * cover and skills can always change and the rule check shows what they break.
   */
  async function updatePost(actor: Actor, id: string, input: PostInput) {
    return db.transaction().execute(async (trx) => {
      const { teamId, post: before } = await postOr404(trx, id);
      const p = parseWith(postSchema, { ...input, id });
      const shiftTypes = await store.listShiftTypes(trx, teamId);
      const posts = await store.listPosts(trx, teamId);
      const index = posts.findIndex((x) => x.id === id);
      const issue = shiftSetIssues(
        shiftTypes,
        posts.map((x) => (x.id === id ? p : x)),
      ).find((i) => i.path[0] === 'posts' && i.path[1] === index);
      if (issue) {
        throw invalid(issue.path.slice(2).map(String).join('.'), issue.message, issue.params);
      }
      if (posts.some((x) => x.id !== id && x.name === p.name)) {
        throw conflict('post_exists', 'roster.service.postNameTaken', { name: p.name }, 'name');
      }
      const removed = before.shiftTypeIds.filter((x) => !p.shiftTypeIds.includes(x));
      const uses = await store.rostersUsing(trx, { postId: id, shiftTypeIds: removed });
      if (uses.length > 0) {
        const codes = removed
          .map((x) => shiftTypes.find((st) => st.id === x)?.code ?? x)
          .join(', ');
        throw conflict(
          'post_in_use',
          'roster.service.postShiftInUse',
          { post: before.name, codes, rosters: periods(uses) },
          'shiftTypeIds',
        );
      }
      await store.updatePost(trx, p);
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.post.update',
        entityType: 'roster_post',
        entityId: id,
        before: { teamId, ...before },
        after: { teamId, ...p },
      });
      return p;
    });
  }

  /**
   * Delete a post nothing has stood on: no roster assignment and no emergency override (both
   * are duty history that "who was on duty" answers from). Its calendar feeds are revoked
   * and people who had it as their default post lose that default.
   */
  async function deletePost(actor: Actor, id: string) {
    // Asked before the transaction: the alerts module reads through its own connection.
    const policies = (await c.deps.postReferences?.(id)) ?? [];
    if (policies.length > 0) {
      const { post } = await postOr404(db, id);
      throw conflict(
        'post_in_use',
        'roster.service.postUsedByPolicy',
        { post: post.name, policies: policies.join('、') },
        'id',
      );
    }
    return db.transaction().execute(async (trx) => {
      const { teamId, post } = await postOr404(trx, id);
      const uses = await store.rostersUsing(trx, { postId: id });
      if (uses.length > 0) {
        throw conflict(
          'post_in_use',
          'roster.service.postInUse',
          { post: post.name, rosters: periods(uses) },
          'id',
        );
      }
      const overrides = await store.countOverridesOnPost(trx, id);
      if (overrides > 0) {
        throw conflict(
          'post_in_use',
          'roster.service.postHasOverrides',
          { post: post.name, count: overrides },
          'id',
        );
      }
      const now = clock.now();
      await store.clearDefaultPost(trx, id, now);
      await store.revokeFeedsOf(trx, 'post', id, now);
      await store.deletePost(trx, id);
      await recordAudit(trx, actor, now, {
        action: 'roster.post.delete',
        entityType: 'roster_post',
        entityId: id,
        before: { teamId, ...post },
      });
    });
  }

  async function setSettings(actor: Actor, teamId: string, input: SettingsInput) {
    await directory.team(teamId);
    return db.transaction().execute(async (trx) => {
      const before = await c.settingsOf(trx, teamId);
      const next = {
        rules: input.rules ? parseWith(restRulesSchema, input.rules, 'rules') : before.rules,
        calendar: input.calendar
          ? parseWith(teamCalendarSchema, input.calendar, 'calendar')
          : before.calendar,
        config: { ...before.config, ...(input.config ?? {}) },
      };
      await store.upsertTeamSettings(trx, teamId, next, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.settings.update',
        entityType: 'team',
        entityId: teamId,
        before,
        after: next,
      });
      return next;
    });
  }

  async function setPersonData(
    actor: Actor,
    userId: string,
    input: { skills: string[]; defaultPostId?: string | null },
  ) {
    const [person] = await directory.people([userId]);
    if (!person) throw notFound('user', userId);
    return db.transaction().execute(async (trx) => {
      if (input.defaultPostId && !(await store.findPostTeam(trx, input.defaultPostId))) {
        throw invalid('defaultPostId', 'roster.service.unknownPost', {
          postId: input.defaultPostId,
        });
      }
      const before = (await store.listPersonData(trx, [userId])).get(userId) ?? null;
      const after: store.PersonRosterData = {
        id: userId,
        skills: [...new Set(input.skills.map((s) => s.trim()).filter(Boolean))],
        ...(input.defaultPostId ? { defaultPostId: input.defaultPostId } : {}),
      };
      await store.upsertPersonData(trx, after, clock.now());
      await recordAudit(trx, actor, clock.now(), {
        action: 'roster.person.update',
        entityType: 'user',
        entityId: userId,
        before,
        after,
      });
      return after;
    });
  }

  return {
    getSetup,
    createShiftType,
    updateShiftType,
    deleteShiftType,
    createPost,
    updatePost,
    deletePost,
    setSettings,
    setPersonData,
  };
}
