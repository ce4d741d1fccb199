import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import type { RequestConfig } from './requests.js';
import {
  type Post,
  type RestRules,
  type TeamCalendar,
  postSchema,
  restRulesSchema,
  shiftSetIssues,
  shiftTypeSchema,
  teamCalendarSchema,
} from './roster.schema.js';
import * as store from './roster.store.js';
import { type RosterContext, parseWith } from './roster-context.service.js';

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
        throw conflict('post_exists', 'errors.conflict', { name: p.name }, 'name');
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

  return { getSetup, createShiftType, createPost, setSettings, setPersonData };
}
