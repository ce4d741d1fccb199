import { createAdminUseCases } from './roster-admin.service.js';
import { createAttendanceUseCases } from './roster-attendance.service.js';
import { type RosterDeps, createRosterContext } from './roster-context.service.js';
import { createFeedUseCases } from './roster-feeds.service.js';
import { createMonthUseCases } from './roster-month.service.js';
import { createOnDutyUseCases } from './roster-on-duty.service.js';
import { createPublishUseCases } from './roster-publish.service.js';
import { createRequestUseCases } from './roster-requests.service.js';
import { createSetupUseCases } from './roster-setup.service.js';

export { MAX_SEGMENT_MS, type RosterDeps, type RosterDirectory } from './roster-context.service.js';
export { ROSTER_REMINDER_JOB, type PublishResult } from './roster-publish.service.js';
export type { PostInput, SettingsInput, ShiftTypeInput } from './roster-setup.service.js';

/**
 * The roster module's use cases, one file per area (roster-<area>.service.ts) over a shared
 * context (roster-context.service.ts): setup, the month, publish and confirmations, requests
 * (swaps, leave, override), attendance, feeds (Excel, iCalendar) and who is on duty.
 */
export function createRosterService(deps: RosterDeps) {
  const c = createRosterContext(deps);
  const attendance = createAttendanceUseCases(c);
  return {
    ...createSetupUseCases(c),
    ...createMonthUseCases(c),
    ...createPublishUseCases(c),
    ...attendance,
    ...createRequestUseCases(c),
    ...createOnDutyUseCases(deps),
    ...createFeedUseCases(c, attendance.myShifts),
    ...createAdminUseCases(c),
  };
}

export type RosterService = ReturnType<typeof createRosterService>;
