import { z } from 'zod';
import { invalid, type DomainError } from '../../lib/errors.js';
import {
  TICKET_ACTIONS,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
} from './ticket-state.js';

/**
 * Inputs of the ticket module. Custom error messages are i18n keys (`tickets.errors.*`); the
 * generic ones map to `validation.*` in `parseTicketInput`, which names the field.
 */

/** 20 MiB: large enough for photos of a device, small enough for the mail relay. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/** Content types a ticket accepts. No HTML, SVG or scripts: those could run when opened. */
export const ALLOWED_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'message/rfc822',
] as const;

/** Extensions refused whatever the declared type (a browser or OS may trust the name). */
const REFUSED_EXTENSIONS =
  /\.(exe|com|bat|cmd|msi|scr|pif|js|mjs|vbs|vbe|jse|wsf|wsh|ps1|sh|jar|html?|xhtml|svg|hta|lnk|reg|dll)$/i;

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().trim().min(1).max(64);
const impactLevel = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);

/** A phone number (digits, spaces, + - ( ) and extension) or an email address. */
const contact = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(
    (v) =>
      /^\+?[\d\s\-()]{5,30}(\s*(ext|转|x)\.?\s*\d{1,6})?$/i.test(v) ||
      /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
    { error: 'tickets.errors.callerContact' },
  );

export const attachmentMetaSchema = z.strictObject({
  fileName: text(255).refine((n) => !REFUSED_EXTENSIONS.test(n) && !/[\\/\0]/.test(n), {
    error: 'tickets.errors.attachmentName',
  }),
  // Mail clients send "Image/JPEG; name=x.jpg"; compare the bare, lower-cased type.
  contentType: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(';')[0]!.trim().toLowerCase() : v),
    z.enum(ALLOWED_CONTENT_TYPES, { error: 'tickets.errors.attachmentType' }),
  ),
  sizeBytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_ATTACHMENT_BYTES, { error: 'tickets.errors.attachmentTooLarge' }),
});
export type AttachmentMeta = z.infer<typeof attachmentMetaSchema>;

const common = {
  type: z.enum(TICKET_TYPES),
  categoryId: id,
  title: text(200),
  description: text(20_000),
  serviceId: id.optional(),
  assetId: id.optional(),
  tags: z.array(text(40)).max(20).optional(),
  attachmentIds: z.array(id).max(MAX_ATTACHMENTS).optional(),
};

/** A ticket the service agent logs from a call: caller name and contact are required. */
export const phoneTicketCreateSchema = z.strictObject({
  channel: z.literal('phone'),
  callerName: text(100),
  callerContact: contact,
  organisation: text(200).optional(),
  impact: impactLevel,
  urgency: impactLevel,
  groupId: id.optional(),
  watcherIds: z.array(id).max(50).optional(),
  ...common,
});
export type PhoneTicketCreate = z.infer<typeof phoneTicketCreateSchema>;

/** A ticket a requester opens in the portal; impact and urgency default in the service. */
export const portalTicketCreateSchema = z.strictObject({
  channel: z.literal('portal'),
  impact: impactLevel.optional(),
  urgency: impactLevel.optional(),
  ...common,
});
export type PortalTicketCreate = z.infer<typeof portalTicketCreateSchema>;

export const replySchema = z.strictObject({
  body: text(50_000),
  format: z.enum(['text', 'html']).default('text'),
  visibility: z.enum(['public', 'internal']),
  attachmentIds: z.array(id).max(MAX_ATTACHMENTS).optional(),
});
export type ReplyInput = z.infer<typeof replySchema>;

/** Actions a person asks for (auto-close belongs to the scheduler). */
export const stateChangeSchema = z.strictObject({
  action: z.enum(
    TICKET_ACTIONS.filter((a) => a !== 'auto_close') as [
      Exclude<(typeof TICKET_ACTIONS)[number], 'auto_close'>,
      ...Exclude<(typeof TICKET_ACTIONS)[number], 'auto_close'>[],
    ],
  ),
  assigneeId: id.optional(),
  note: text(5_000).optional(),
});
export type StateChangeInput = z.infer<typeof stateChangeSchema>;

export const escalateSchema = z.strictObject({ reason: text(2_000) });

export const surveySchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2_000).optional(),
});
export type SurveyInput = z.infer<typeof surveySchema>;

/** A ticket filed through the API: caller optional, a requester may be named. */
export const apiTicketCreateSchema = phoneTicketCreateSchema.extend({
  channel: z.literal('api'),
  callerName: phoneTicketCreateSchema.shape.callerName.optional(),
  callerContact: phoneTicketCreateSchema.shape.callerContact.optional(),
  requesterId: z.string().trim().min(1).max(64).optional(),
  dispatch: z.enum(['auto', 'queue']).optional(),
  /** The alert page this ticket is opened from ("open a ticket" on a page). */
  alertPageId: z.string().trim().min(1).max(64).optional(),
});
/** The phone form as the staff route takes it: the agent may leave the ticket in the queue. */
export const phoneCreateSchema = phoneTicketCreateSchema.extend({
  dispatch: z.enum(['auto', 'queue']).optional(),
});
export const escalateInputSchema = escalateSchema.extend({
  groupId: z.string().trim().min(1).max(64).optional(),
});

export const categoryCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  parentId: z.string().trim().min(1).max(64).nullable().optional(),
});
export const categoryUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  active: z.boolean().optional(),
  /** Moves the category under another one (null: to the top level). */
  parentId: z.string().trim().min(1).max(64).nullable().optional(),
});
/** Statuses an SLA policy may pause in (the others end the clock). */
export const PAUSABLE_STATUSES = TICKET_STATUSES.filter(
  (s) => s !== 'resolved' && s !== 'closed' && s !== 'merged',
) as unknown as readonly [TicketStatus, ...TicketStatus[]];
export const slaPolicyInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  match: z.strictObject({
    type: z.enum(['fault', 'request', 'consultation', 'complaint']).optional(),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']).optional(),
    customerId: z.string().min(1).max(64).optional(),
  }),
  targets: z.strictObject({
    firstResponse: z.number().int().min(1).max(525_600).optional(),
    nextUpdate: z.number().int().min(1).max(525_600).optional(),
    resolution: z.number().int().min(1).max(525_600).optional(),
  }),
  warnAtPercent: z.number().int().min(1).max(99).default(80),
  /**
   * The statuses in which the clock stops; absent/null: `pending_customer`, []: never. Only
   * statuses a ticket works in: resolved, closed and merged already stop it.
   */
  pauseStatuses: z
    .array(z.enum(PAUSABLE_STATUSES, { error: 'tickets.errors.pauseStatus' }))
    .max(8)
    .refine((l) => new Set(l).size === l.length, { error: 'tickets.errors.pauseStatusTwice' })
    .nullable()
    .optional(),
  /** false: a breach notifies but does not move the ticket to the next line. */
  escalateOnBreach: z.boolean().default(true),
  /** The team whose business calendar the clock runs on; null/absent: the ticket group's. */
  calendarTeamId: z.string().min(1).max(64).nullable().default(null),
});
/** An edit replaces the policy's fields; `active: false` disables it (it stops matching). */
export const slaPolicyUpdateSchema = slaPolicyInputSchema.extend({
  active: z.boolean().default(true),
});

/** Parses input with a schema; the first problem becomes a DomainError naming its field. */
export function parseTicketInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw issueToError(r.error.issues[0]);
}

function issueToError(issue: z.core.$ZodIssue | undefined): DomainError {
  if (!issue) return invalid('body', 'validation.invalid');
  const field = issue.path.map(String).join('.') || 'body';
  if (issue.message.startsWith('tickets.')) return invalid(field, issue.message);
  switch (issue.code) {
    case 'unrecognized_keys':
      return invalid(issue.keys[0] ?? field, 'validation.unknownField');
    case 'invalid_type':
      return issue.input === undefined
        ? invalid(field, 'validation.required')
        : invalid(field, 'validation.type', { expected: issue.expected });
    case 'too_small':
      // Text is trimmed first, so a minimum of 1 character means "left empty".
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? invalid(field, 'validation.required')
        : invalid(field, 'validation.tooSmall', { minimum: Number(issue.minimum) });
    case 'too_big':
      return invalid(field, 'validation.tooBig', { maximum: Number(issue.maximum) });
    case 'invalid_value':
      return invalid(field, 'validation.enum', { options: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return invalid(field, 'validation.format', { format: issue.format });
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
      return invalid(field, 'validation.invalid');
  }
}

export interface CategoryNode {
  readonly id: string;
  readonly parentId: string | null;
  readonly active: boolean;
}

/** The category's path from the root; refuses unknown or retired categories naming categoryId. */
export function requireCategory(
  categoryId: string,
  categories: readonly CategoryNode[],
): CategoryNode[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const node = byId.get(categoryId);
  if (!node || !node.active)
    throw invalid('categoryId', 'tickets.errors.unknownCategory', { id: categoryId });
  const path: CategoryNode[] = [];
  for (
    let c: CategoryNode | undefined = node;
    c;
    c = c.parentId ? byId.get(c.parentId) : undefined
  ) {
    if (path.includes(c)) throw invalid('categoryId', 'tickets.errors.categoryCycle', { id: c.id });
    path.unshift(c);
  }
  return path;
}

/**
 * Refuses moving category `id` under `parentId` when the parent does not exist or is `id` itself
 * or one of its descendants (the tree would get a cycle); both name `parentId`.
 */
export function assertCategoryMove(
  id: string,
  parentId: string | null,
  categories: readonly Pick<CategoryNode, 'id' | 'parentId'>[],
): void {
  if (parentId === null) return;
  const byId = new Map(categories.map((c) => [c.id, c]));
  if (!byId.has(parentId))
    throw invalid('parentId', 'tickets.errors.unknownCategory', { id: parentId });
  const seen = new Set<string>();
  for (let c = byId.get(parentId); c; c = c.parentId ? byId.get(c.parentId) : undefined) {
    if (c.id === id || seen.has(c.id))
      throw invalid('parentId', 'tickets.errors.categoryCycle', { id });
    seen.add(c.id);
  }
}
