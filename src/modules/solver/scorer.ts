import type { RosterModel } from './model.js';
import { OFF } from './model.js';

export interface Score {
  total: number;
  onRequests: number;
  offRequests: number;
  cover: number;
  fairness: number;
}

/** The objective of FORMAT.md section 4, plus the product's fairness terms (none in the benchmark). */
export function scoreRoster(model: RosterModel, roster: ArrayLike<number>): Score {
  const H = model.days;
  const at = (e: number, d: number) => roster[e * H + d]!;
  let onRequests = 0;
  for (const r of model.onRequests) if (at(r.employee, r.day) !== r.shift) onRequests += r.weight;
  let offRequests = 0;
  for (const r of model.offRequests) if (at(r.employee, r.day) === r.shift) offRequests += r.weight;
  let cover = 0;
  for (const c of model.cover) {
    let n = 0;
    for (let e = 0; e < model.employees.length; e++) if (at(e, c.day) === c.shift) n++;
    cover +=
      c.underWeight * Math.max(0, c.requirement - n) +
      c.overWeight * Math.max(0, n - c.requirement);
  }
  let fairness = 0;
  for (const f of model.fairness ?? []) {
    const cells = new Set(f.cells.map((c) => `${c.day}:${c.shift}`));
    model.employees.forEach((_, e) => {
      let n = 0;
      for (let d = 0; d < H; d++) {
        const t = at(e, d);
        if (t !== OFF && cells.has(`${d}:${t}`)) n++;
      }
      fairness += (f.weight * n * n) / (f.shares?.[e] ?? 1);
    });
  }
  return {
    total: onRequests + offRequests + cover + fairness,
    onRequests,
    offRequests,
    cover,
    fairness,
  };
}
