import { invalid } from '../../lib/errors.js';
import type {
  EmployeeRules,
  RosterModel,
  ShiftRequest,
  ShiftType,
  CoverRequirement,
} from './model.js';
import { OFF, weekendsFor } from './model.js';

/**
 * Reads a Curtois & Qu instance (FORMAT.md). Malformed input is refused with a DomainError
 * whose params carry the 1-based line number and a reason.
 */
export function readInstance(text: string): RosterModel {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  type Section = 'HORIZON' | 'SHIFTS' | 'STAFF' | 'DAYS_OFF' | 'ON' | 'OFF' | 'COVER';
  const sectionNames: Record<string, Section> = {
    SECTION_HORIZON: 'HORIZON',
    SECTION_SHIFTS: 'SHIFTS',
    SECTION_STAFF: 'STAFF',
    SECTION_DAYS_OFF: 'DAYS_OFF',
    SECTION_SHIFT_ON_REQUESTS: 'ON',
    SECTION_SHIFT_OFF_REQUESTS: 'OFF',
    SECTION_COVER: 'COVER',
  };
  const fail = (line: number, reason: string): never => {
    throw invalid('instance', 'solver.errors.malformedInstance', { line, reason });
  };
  let section: Section | null = null;
  let days = -1;
  const shiftRows: { line: number; cells: string[] }[] = [];
  const staffRows: { line: number; cells: string[] }[] = [];
  const rows: Record<'DAYS_OFF' | 'ON' | 'OFF' | 'COVER', { line: number; cells: string[] }[]> = {
    DAYS_OFF: [],
    ON: [],
    OFF: [],
    COVER: [],
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const ln = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    if (raw.startsWith('SECTION_')) {
      const s = sectionNames[raw];
      if (!s) fail(ln, `unknown section ${raw}`);
      section = s!;
      continue;
    }
    const cells = raw.split(',').map((c) => c.trim());
    switch (section) {
      case null:
        fail(ln, 'data before the first SECTION_ line');
        break;
      case 'HORIZON':
        if (days !== -1) fail(ln, 'horizon given twice');
        days = toInt(cells[0], ln, 'horizon', fail);
        if (days <= 0) fail(ln, 'horizon must be positive');
        break;
      case 'SHIFTS':
        shiftRows.push({ line: ln, cells });
        break;
      case 'STAFF':
        staffRows.push({ line: ln, cells });
        break;
      case 'DAYS_OFF':
      case 'ON':
      case 'OFF':
      case 'COVER':
        rows[section].push({ line: ln, cells });
        break;
    }
  }
  if (days === -1) fail(lines.length, 'missing SECTION_HORIZON');
  if (shiftRows.length === 0) fail(lines.length, 'no shift types');
  if (staffRows.length === 0) fail(lines.length, 'no staff');

  const shiftIndex = new Map<string, number>();
  for (const r of shiftRows) {
    if (r.cells.length < 2 || r.cells.length > 3)
      fail(r.line, 'expected ShiftID,Minutes,CannotFollow');
    const id = r.cells[0]!;
    if (id === '' || shiftIndex.has(id)) fail(r.line, `empty or duplicate shift id "${id}"`);
    shiftIndex.set(id, shiftIndex.size);
  }
  const shiftOf = (id: string | undefined, line: number): number => {
    const t = id === undefined ? undefined : shiftIndex.get(id);
    if (t === undefined) fail(line, `unknown shift "${id ?? ''}"`);
    return t!;
  };
  const shifts: ShiftType[] = shiftRows.map((r) => {
    const minutes = toInt(r.cells[1], r.line, 'minutes', fail);
    if (minutes <= 0) fail(r.line, 'shift length must be positive');
    const follow = (r.cells[2] ?? '').split('|').filter((s) => s !== '');
    return { id: r.cells[0]!, minutes, cannotFollow: follow.map((f) => shiftOf(f, r.line)) };
  });

  const empIndex = new Map<string, number>();
  const employees: EmployeeRules[] = staffRows.map((r) => {
    if (r.cells.length !== 8) fail(r.line, `expected 8 fields, got ${r.cells.length}`);
    const id = r.cells[0]!;
    if (id === '' || empIndex.has(id)) fail(r.line, `empty or duplicate employee id "${id}"`);
    empIndex.set(id, empIndex.size);
    const maxShifts = shifts.map(() => days);
    for (const pair of r.cells[1]!.split('|').filter((s) => s !== '')) {
      const [sid, lim] = pair.split('=');
      if (lim === undefined) fail(r.line, `bad MaxShifts entry "${pair}"`);
      maxShifts[shiftOf(sid, r.line)] = toInt(lim, r.line, 'MaxShifts', fail);
    }
    const n = (k: number, name: string) => {
      const v = toInt(r.cells[k], r.line, name, fail);
      if (v < 0) fail(r.line, `${name} must not be negative`);
      return v;
    };
    return {
      id,
      maxShifts,
      maxMinutes: n(2, 'MaxTotalMinutes'),
      minMinutes: n(3, 'MinTotalMinutes'),
      maxConsecutive: n(4, 'MaxConsecutiveShifts'),
      minConsecutive: n(5, 'MinConsecutiveShifts'),
      minConsecutiveDaysOff: n(6, 'MinConsecutiveDaysOff'),
      maxWeekends: n(7, 'MaxWeekends'),
      daysOff: [],
    };
  });
  const empOf = (id: string | undefined, line: number): number => {
    const e = id === undefined ? undefined : empIndex.get(id);
    if (e === undefined) fail(line, `unknown employee "${id ?? ''}"`);
    return e!;
  };
  const dayOf = (s: string | undefined, line: number): number => {
    const d = toInt(s, line, 'day', fail);
    if (d < 0 || d >= days) fail(line, `day ${d} outside 0..${days - 1}`);
    return d;
  };
  for (const r of rows.DAYS_OFF) {
    const e = empOf(r.cells[0], r.line);
    for (const c of r.cells.slice(1)) if (c !== '') employees[e]!.daysOff.push(dayOf(c, r.line));
  }
  const requests = (list: { line: number; cells: string[] }[]): ShiftRequest[] =>
    list.map((r) => {
      if (r.cells.length !== 4) fail(r.line, 'expected EmployeeID,Day,ShiftID,Weight');
      const weight = toInt(r.cells[3], r.line, 'weight', fail);
      if (weight < 0) fail(r.line, 'weight must not be negative');
      return {
        employee: empOf(r.cells[0], r.line),
        day: dayOf(r.cells[1], r.line),
        shift: shiftOf(r.cells[2], r.line),
        weight,
      };
    });
  const cover: CoverRequirement[] = [];
  const seen = new Set<number>();
  for (const r of rows.COVER) {
    if (r.cells.length !== 5)
      fail(r.line, 'expected Day,ShiftID,Requirement,WeightUnder,WeightOver');
    const day = dayOf(r.cells[0], r.line);
    const shift = shiftOf(r.cells[1], r.line);
    if (seen.has(day * shifts.length + shift)) fail(r.line, 'duplicate cover line');
    seen.add(day * shifts.length + shift);
    const requirement = toInt(r.cells[2], r.line, 'requirement', fail);
    const underWeight = toInt(r.cells[3], r.line, 'WeightForUnder', fail);
    const overWeight = toInt(r.cells[4], r.line, 'WeightForOver', fail);
    if (requirement < 0 || underWeight < 0 || overWeight < 0) fail(r.line, 'negative cover value');
    cover.push({ day, shift, requirement, underWeight, overWeight });
  }
  return {
    days,
    shifts,
    employees,
    onRequests: requests(rows.ON),
    offRequests: requests(rows.OFF),
    cover,
    weekends: weekendsFor(days, 0),
  };
}

function toInt(
  s: string | undefined,
  line: number,
  name: string,
  fail: (line: number, reason: string) => never,
): number {
  if (s === undefined || !/^-?\d+$/.test(s))
    return fail(line, `${name}: "${s ?? ''}" is not an integer`);
  return Number(s);
}

/** Reads a roster in the reference_solutions format (EmployeeID then one token per day). */
export function readRoster(model: RosterModel, text: string): Int16Array {
  const H = model.days;
  const roster = new Int16Array(model.employees.length * H).fill(OFF);
  const shiftIndex = new Map(model.shifts.map((s, i) => [s.id, i]));
  const empIndex = new Map(model.employees.map((e, i) => [e.id, i]));
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const [id, ...tokens] = line.split(/\s+/);
    const e = empIndex.get(id!);
    if (e === undefined)
      throw invalid('roster', 'solver.errors.malformedRoster', {
        line: i + 1,
        reason: `unknown employee ${id}`,
      });
    if (tokens.length !== H)
      throw invalid('roster', 'solver.errors.malformedRoster', {
        line: i + 1,
        reason: `expected ${H} days`,
      });
    tokens.forEach((tok, d) => {
      if (tok === '.') return;
      const t = shiftIndex.get(tok);
      if (t === undefined)
        throw invalid('roster', 'solver.errors.malformedRoster', {
          line: i + 1,
          reason: `unknown shift ${tok}`,
        });
      roster[e * H + d] = t;
    });
  });
  return roster;
}

/** Writes a roster in the reference_solutions format. */
export function writeRoster(model: RosterModel, roster: Int16Array): string {
  const H = model.days;
  return model.employees
    .map((emp, e) => {
      const toks: string[] = [emp.id];
      for (let d = 0; d < H; d++) {
        const t = roster[e * H + d]!;
        toks.push(t === OFF ? '.' : model.shifts[t]!.id);
      }
      return toks.join(' ');
    })
    .join('\n');
}
