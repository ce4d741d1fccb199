// Shapes of the roster API (/api/roster/…, see the OpenAPI document at /api/docs).

export type RosterStatus = 'draft' | 'published' | 'amended' | 'closed';
export type DayKind = 'weekday' | 'weekend' | 'holiday';
export type Severity = 'block' | 'warn';

export interface ShiftType {
  id: string;
  code: string;
  name: string;
  start: string;
  end: string;
  breakMinutes: number;
  colour: string;
  night?: boolean;
}

export interface Cover {
  shiftTypeId: string;
  dayKind: DayKind;
  min: number;
  preferred: number;
}

export interface Post {
  id: string;
  name: string;
  shiftTypeIds: string[];
  cover: Cover[];
  requiredSkills: string[];
}

export interface Person {
  id: string;
  name: string;
  skills: string[];
  defaultPostId?: string;
}

export interface Rule {
  value: number;
  severity: Severity;
}

export const VALUE_RULES = [
  'minRestHours',
  'maxConsecutiveDays',
  'maxConsecutiveNights',
  'minDaysOffAfterNights',
  'maxHoursPerWeek',
  'maxHoursPerMonth',
] as const;
export const FLAG_RULES = ['skills', 'cover', 'doubleBooking', 'leave'] as const;
export type ValueRule = (typeof VALUE_RULES)[number];
export type FlagRule = (typeof FLAG_RULES)[number];
export type RestRules = Partial<Record<ValueRule, Rule> & Record<FlagRule, { severity: Severity }>>;

export interface RosterSetup {
  team: { id: string; name: string; timeZone: string };
  shiftTypes: ShiftType[];
  posts: Post[];
  rules: RestRules;
  calendar: { holidays?: string[]; workingWeekends?: string[] };
  config: { swapLeadHours: number; confirmHours: number; remindAfterHours: number[] };
  people: Person[];
}

export interface Duty {
  postId: string;
  shiftTypeId: string;
}

export interface Assignment extends Duty {
  id: string;
  personId: string;
  date: string;
}

export interface Violation {
  rule: string;
  severity: Severity;
  personId?: string;
  postId?: string;
  shiftTypeId?: string;
  date: string;
  message: string;
}

export interface RosterSummary {
  id: string;
  teamId: string;
  periodStart: string;
  periodEnd: string;
  status: RosterStatus;
  publishedAt: number | null;
}

export interface RosterView {
  roster: RosterSummary & { teamName: string; timeZone: string };
  people: Person[];
  shiftTypes: ShiftType[];
  posts: Post[];
  assignments: Assignment[];
  violations: Violation[];
  cover: { postId: string; shiftTypeId: string; date: string; count: number }[];
  calendar: { holidays?: string[]; workingWeekends?: string[] };
}

export interface MyShift {
  assignmentId: string;
  rosterId: string;
  period: { start: string; end: string };
  timeZone: string;
  date: string;
  shift: { id: string; code: string; name: string; colour: string };
  post: { id: string; name: string };
  startMs: number;
  endMs: number;
  confirmedAt: number | null;
  attendance: {
    checkInAt: number | null;
    checkOutAt: number | null;
    arrival: string;
    departure: string;
    lateMinutes: number;
  } | null;
}

export interface SwapItem {
  id: string;
  rosterId: string;
  kind: 'substitution' | 'swap';
  assignmentId: string;
  requesterId: string;
  substituteId: string;
  requesterName: string;
  substituteName: string;
  date: string | null;
  status: string;
  reason: string;
  createdAt: number;
}

export interface LeaveItem {
  id: string;
  personId: string;
  personName: string;
  kind: 'leave' | 'unavailable';
  startDate: string;
  endDate: string;
  status: string;
  reason: string;
}
