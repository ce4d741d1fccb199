import { createAdminUseCases } from './ticket-admin.service.js';
import { type TicketsDeps, createTicketContext } from './ticket-context.js';
import { createIntakeUseCases } from './ticket-intake.service.js';
import { createTicketJobs } from './ticket-jobs.js';
import { createFollowUpUseCases } from './ticket-follow-up.service.js';
import { createLinkUseCases } from './ticket-link.service.js';
import { createCollabUseCases } from './ticket-collab.service.js';
import { createViewUseCases } from './ticket-views.service.js';
import { createWorkUseCases } from './ticket-work.service.js';

/**
 * The service desk's use cases, composed from one shared context (`ticket-context.ts`):
 * intake (`ticket-intake.service.ts`), working a ticket (`ticket-work.service.ts`),
 * administration (`ticket-admin.service.ts`) and the jobs (`ticket-jobs.ts`). Other modules and
 * main.ts import from here only.
 */

export {
  AUTO_CLOSE_JOB,
  BUILTIN_POLICIES,
  SLA_JOB,
  SLA_PAGE_JOB,
  SLA_RECOMPUTE_JOB,
  type SlaPager,
  actorFor,
  type Caller,
  type Directory,
  type MailIntake,
  type OnDutyProvider,
  type TicketsDeps,
  type TimelineEvent,
  type AlertPages,
  type AlertPageSummary,
} from './ticket-context.js';
export { type EventView, type TicketView, callerKey, maskContact } from './ticket-presenter.js';
export { type ListQuery } from './ticket-work.service.js';
export { escalateInputSchema, slaPolicyInputSchema } from './tickets.schema.js';

export function createTicketsService(deps: TicketsDeps) {
  const ctx = createTicketContext(deps);
  const collab = createCollabUseCases(ctx);
  const intake = createIntakeUseCases(ctx, collab);
  const work = createWorkUseCases(ctx);
  const admin = createAdminUseCases(ctx);
  const jobs = createTicketJobs(ctx);
  const views = createViewUseCases(ctx, work.list);
  const followUps = createFollowUpUseCases(ctx);
  const links = createLinkUseCases(ctx);
  return {
    createTicket: intake.createTicket,
    getTicket: work.getTicket,
    list: work.list,
    reply: work.reply,
    transition: work.transition,
    escalate: work.escalate,
    survey: work.survey,
    callerHistory: work.callerHistory,
    exportCsv: work.exportCsv,
    listCategories: admin.listCategories,
    createCategory: admin.createCategory,
    updateCategory: admin.updateCategory,
    listSlaPolicies: admin.listSlaPolicies,
    createSlaPolicy: admin.createSlaPolicy,
    updateSlaPolicy: admin.updateSlaPolicy,
    disableSlaPolicy: admin.disableSlaPolicy,
    putSetting: admin.putSetting,
    getSettings: admin.getSettings,
    slaJob: jobs.slaJob,
    slaPageJob: jobs.slaPageJob,
    autoCloseJob: jobs.autoCloseJob,
    slaRecomputeJob: jobs.slaRecomputeJob,
    ...views,
    ...followUps,
    ...links,
    ...collab,
  };
}

export type TicketsService = ReturnType<typeof createTicketsService>;
