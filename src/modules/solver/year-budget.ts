import type { CompiledModel } from './model.js';

/**
 * Demand-weighted budgets for the rolling construction of long horizons (pure).
 *
 * The construction places one employee at a time in 4-week windows; each window gets a share
 * of the employee's yearly minutes and weekends. Pro-rating by calendar days spends them
 * evenly, but on the year-long instances the cover asked grows through the year (Instance24:
 * the last quarter asks 1.7× the minutes and 1.8× the weekend shifts of the first), so the
 * people arrive in October with no weekends and few minutes left. Here the share of a window
 * is the share of the demand it holds instead: minutes by the minutes of cover asked on the
 * employee's available days, weekends by the people asked on each weekend (the larger of its
 * days' cover).
 */
export interface YearBudget {
  /** dayWeight[d]: minutes of cover asked on day d (Σ_t req · length). */
  dayWeight: Float64Array;
  /** weekendWeight[w]: people asked on weekend w (the most on any of its days). */
  weekendWeight: Float64Array;
  /** Σ weekendWeight[w] for the weekends that start on or before day d. */
  weekendPrefix: Float64Array;
}

export function yearBudget(cm: CompiledModel): YearBudget {
  const { H, T, req, len } = cm;
  const dayWeight = new Float64Array(H);
  const people = new Float64Array(H);
  for (let d = 0; d < H; d++) {
    for (let t = 0; t < T; t++) {
      dayWeight[d]! += req[d * T + t]! * len[t]!;
      people[d]! += req[d * T + t]!;
    }
  }
  const W = cm.model.weekends.length;
  const weekendWeight = new Float64Array(W);
  cm.model.weekends.forEach((days, w) => {
    for (const d of days) weekendWeight[w] = Math.max(weekendWeight[w]!, people[d]!);
  });
  const weekendPrefix = new Float64Array(H);
  let acc = 0;
  for (let d = 0; d < H; d++) {
    const w = cm.weekendOf[d]!;
    if (w >= 0 && (d === 0 || cm.weekendOf[d - 1] !== w)) acc += weekendWeight[w]!;
    weekendPrefix[d] = acc;
  }
  return { dayWeight, weekendWeight, weekendPrefix };
}

/**
 * Shares of employee e's minutes and weekends to spend on days 0..b: the demand on e's
 * available days up to b over the demand on all of them (by days when nothing is asked).
 */
export function budgetShares(
  cm: CompiledModel,
  yb: YearBudget,
  e: number,
  b: number,
): { minutes: number; weekends: number } {
  const { H } = cm;
  let before = 0;
  let all = 0;
  let daysBefore = 0;
  let daysAll = 0;
  for (let d = 0; d < H; d++) {
    if (cm.dayOff[e * H + d]) continue;
    all += yb.dayWeight[d]!;
    daysAll++;
    if (d <= b) {
      before += yb.dayWeight[d]!;
      daysBefore++;
    }
  }
  const byDays = daysAll > 0 ? daysBefore / daysAll : (b + 1) / H;
  const minutes = all > 0 ? before / all : byDays;
  const total = yb.weekendPrefix[H - 1] ?? 0;
  const weekends = total > 0 ? yb.weekendPrefix[Math.min(b, H - 1)]! / total : byDays;
  return { minutes, weekends };
}
