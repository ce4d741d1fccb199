import { z } from 'zod';
import { PRIORITIES } from './priority.js';
import { TICKET_STATUSES, TICKET_TYPES, type TicketStatus } from './ticket-state.js';

/**
 * Saved views and reply templates, the pure part. A view is a named filter set of the ticket
 * list (the same filters as GET /api/tickets); four are built in, the others belong to one user.
 * A reply template's body holds placeholders `{{name}}` filled from the ticket when it is used.
 */

const OPEN: TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_third_party',
  'reopened',
];

/** The filters a view may hold (all optional; `assignee: 'me'` and `group: 'mine'` follow the user). */
export const viewQuerySchema = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).min(1).max(TICKET_STATUSES.length).optional(),
  assignee: z.string().trim().min(1).max(64).optional(),
  unassigned: z.boolean().optional(),
  group: z.string().trim().min(1).max(64).optional(),
  breachingWithin: z.number().int().min(0).max(10_080).optional(),
  type: z.enum(TICKET_TYPES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});
export type ViewQuery = z.infer<typeof viewQuerySchema>;

export const viewCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  query: viewQuerySchema,
});
export const viewUpdateSchema = viewCreateSchema.partial();

export const BUILTIN_VIEWS = {
  mine: { assignee: 'me', status: OPEN },
  myGroup: { group: 'mine', status: OPEN },
  breachingSoon: { breachingWithin: 60, status: OPEN },
  unassigned: { unassigned: true, status: OPEN },
} as const satisfies Record<string, ViewQuery>;
export type BuiltinView = keyof typeof BUILTIN_VIEWS;
export const isBuiltinView = (key: string): key is BuiltinView =>
  Object.prototype.hasOwnProperty.call(BUILTIN_VIEWS, key);

// ---- reply templates ----

export const TEMPLATE_PLACEHOLDERS = [
  'number',
  'title',
  'status',
  'callerName',
  'organisation',
] as const;
export type TemplateValues = Partial<Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string | null>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The unknown placeholder names of a template body (refused when the template is saved). */
export function unknownPlaceholders(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(PLACEHOLDER))
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]!)) out.add(m[1]!);
  return [...out];
}

export const templateCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(10_000),
  teamId: z.string().trim().min(1).max(64).nullable().optional(),
});
export const templateUpdateSchema = templateCreateSchema.partial();

/**
 * Fills each `{{name}}` with its value (a missing value becomes the empty string). One pass: a
 * value that itself looks like a placeholder is inserted as is, never expanded again.
 */
export function fillTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) =>
    (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)
      ? (values[name as keyof TemplateValues] ?? '')
      : whole,
  );
}
