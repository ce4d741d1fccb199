import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Caller, type TicketContext, isStaff } from './ticket-context.js';
import {
  BUILTIN_VIEWS,
  TEMPLATE_PLACEHOLDERS,
  type ViewQuery,
  fillTemplate,
  isBuiltinView,
  templateCreateSchema,
  templateUpdateSchema,
  unknownPlaceholders,
  viewCreateSchema,
  viewQuerySchema,
  viewUpdateSchema,
} from './ticket-views.js';
import type { ListQuery } from './ticket-work.service.js';
import { parseTicketInput } from './tickets.schema.js';

/**
 * Saved views (four built in, the rest per user: only the owner sees or changes them) and reply
 * templates (per team or for all; admins and duty managers keep them, agents fill them from a
 * ticket). Every change is audited in its transaction.
 */

type ViewRow = DB['ticket_saved_view'];
type TemplateRow = DB['ticket_reply_template'];

const presentView = (r: ViewRow) => ({
  id: r.id,
  name: r.name,
  query: JSON.parse(r.query_json) as ViewQuery,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const presentTemplate = (r: TemplateRow) => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  body: r.body,
  updatedAt: r.updated_at,
});

export function createViewUseCases(
  ctx: TicketContext,
  list: (caller: Caller, q: ListQuery) => Promise<unknown>,
) {
  const { db, clock, deps, loadVisible } = ctx;

  const ownView = async (q: Kysely<DB>, caller: Caller, id: string) => {
    const row = await q
      .selectFrom('ticket_saved_view')
      .selectAll()
      .where('id', '=', id)
      .where('owner_id', '=', caller.userId)
      .executeTakeFirst();
    if (!row) throw notFound('ticket_saved_view', id);
    return row;
  };
  const nameFree = async (q: Kysely<DB>, caller: Caller, name: string, except?: string) => {
    let s = q
      .selectFrom('ticket_saved_view')
      .select('id')
      .where('owner_id', '=', caller.userId)
      .where('name', '=', name);
    if (except) s = s.where('id', '!=', except);
    if (await s.executeTakeFirst())
      throw conflict(
        'view_name_taken',
        'tickets.errors.viewNameTaken',
        { name, field: 'name' },
        'name',
      );
  };

  async function listViews(caller: Caller) {
    const rows = await db
      .selectFrom('ticket_saved_view')
      .selectAll()
      .where('owner_id', '=', caller.userId)
      .orderBy('name')
      .execute();
    return {
      builtIn: Object.entries(BUILTIN_VIEWS).map(([key, query]) => ({ key, query })),
      saved: rows.map(presentView),
    };
  }

  async function createView(caller: Caller, input: unknown) {
    const v = parseTicketInput(viewCreateSchema, input);
    const now = clock.now();
    const row: ViewRow = {
      id: newId(),
      owner_id: caller.userId,
      name: v.name,
      query_json: JSON.stringify(v.query),
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await nameFree(trx, caller, v.name);
      await trx.insertInto('ticket_saved_view').values(row).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_view.create',
        entityType: 'ticket_saved_view',
        entityId: row.id,
        after: row,
      });
    });
    return presentView(row);
  }

  async function updateView(caller: Caller, id: string, input: unknown) {
    const v = parseTicketInput(viewUpdateSchema, input);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const before = await ownView(trx, caller, id);
      if (v.name !== undefined) await nameFree(trx, caller, v.name, id);
      const after: ViewRow = {
        ...before,
        ...(v.name !== undefined ? { name: v.name } : {}),
        ...(v.query !== undefined ? { query_json: JSON.stringify(v.query) } : {}),
        updated_at: now,
      };
      await trx.updateTable('ticket_saved_view').set(after).where('id', '=', id).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_view.update',
        entityType: 'ticket_saved_view',
        entityId: id,
        before,
        after,
      });
      return presentView(after);
    });
  }

  async function deleteView(caller: Caller, id: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const before = await ownView(trx, caller, id);
      await trx.deleteFrom('ticket_saved_view').where('id', '=', id).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_view.delete',
        entityType: 'ticket_saved_view',
        entityId: id,
        before,
      });
    });
  }

  /** The tickets of a view (a built-in key or a saved view's id), one page at a time. */
  async function runView(caller: Caller, key: string, page: { cursor?: string; limit: number }) {
    const query: ViewQuery = isBuiltinView(key)
      ? viewQuerySchema.parse(BUILTIN_VIEWS[key])
      : presentView(await ownView(db, caller, key)).query;
    const { group, breachingWithin, status, ...rest } = query;
    let groups: string[] | undefined;
    if (group === 'mine')
      groups = isStaff(caller) ? ((await deps.directory.teamIdsOf?.(caller.userId)) ?? []) : [];
    return list(caller, {
      ...rest,
      ...(status ? { status } : {}),
      ...(group && group !== 'mine' ? { group } : {}),
      ...(groups ? { groups } : {}),
      ...(breachingWithin !== undefined ? { breachingWithinMinutes: breachingWithin } : {}),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      limit: page.limit,
    });
  }

  // ---- reply templates ----

  const checkTemplate = async (body: string | undefined, teamId: string | null | undefined) => {
    if (body !== undefined) {
      const unknown = unknownPlaceholders(body);
      if (unknown.length > 0)
        throw invalid('body', 'tickets.errors.templatePlaceholder', {
          placeholder: `{{${unknown[0]}}}`,
          known: TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' '),
        });
    }
    if (teamId && (await deps.directory.teamZone(teamId)) === null)
      throw invalid('teamId', 'tickets.errors.unknownTeam', { id: teamId });
  };
  const findTemplate = async (q: Kysely<DB>, id: string) => {
    const row = await q
      .selectFrom('ticket_reply_template')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('ticket_reply_template', id);
    return row;
  };

  async function listTemplates(teamId?: string) {
    let q = db.selectFrom('ticket_reply_template').selectAll();
    if (teamId) q = q.where((eb) => eb.or([eb('team_id', 'is', null), eb('team_id', '=', teamId)]));
    return (await q.orderBy('name').execute()).map(presentTemplate);
  }

  async function createTemplate(caller: Caller, input: unknown) {
    const v = parseTicketInput(templateCreateSchema, input);
    await checkTemplate(v.body, v.teamId);
    const now = clock.now();
    const row: TemplateRow = {
      id: newId(),
      team_id: v.teamId ?? null,
      name: v.name,
      body: v.body,
      created_by: caller.userId,
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('ticket_reply_template').values(row).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_template.create',
        entityType: 'ticket_reply_template',
        entityId: row.id,
        after: row,
      });
    });
    return presentTemplate(row);
  }

  async function updateTemplate(caller: Caller, id: string, input: unknown) {
    const v = parseTicketInput(templateUpdateSchema, input);
    await checkTemplate(v.body, v.teamId);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const before = await findTemplate(trx, id);
      const after: TemplateRow = {
        ...before,
        ...(v.name !== undefined ? { name: v.name } : {}),
        ...(v.body !== undefined ? { body: v.body } : {}),
        ...(v.teamId !== undefined ? { team_id: v.teamId } : {}),
        updated_at: now,
      };
      await trx.updateTable('ticket_reply_template').set(after).where('id', '=', id).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_template.update',
        entityType: 'ticket_reply_template',
        entityId: id,
        before,
        after,
      });
      return presentTemplate(after);
    });
  }

  async function deleteTemplate(caller: Caller, id: string) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const before = await findTemplate(trx, id);
      await trx.deleteFrom('ticket_reply_template').where('id', '=', id).execute();
      await recordAudit(trx, caller.audit, now, {
        action: 'ticket_template.delete',
        entityType: 'ticket_reply_template',
        entityId: id,
        before,
      });
    });
  }

  /** A template filled from a ticket, for the agent to edit and send as a reply. */
  async function fillTemplateFor(caller: Caller, ticketId: string, templateId: string) {
    const t = await loadVisible(db, caller, ticketId);
    const tpl = await findTemplate(db, templateId);
    if (tpl.team_id && tpl.team_id !== t.group_id)
      throw invalid('templateId', 'tickets.errors.templateTeam');
    return {
      templateId,
      body: fillTemplate(tpl.body, {
        number: t.number,
        title: t.title,
        status: t.status,
        callerName: t.caller_name,
        organisation: t.organisation,
      }),
    };
  }

  return {
    listViews,
    createView,
    updateView,
    deleteView,
    runView,
    listTemplates,
    createTemplate,
    updateTemplate,
    deleteTemplate,
    fillTemplateFor,
  };
}
