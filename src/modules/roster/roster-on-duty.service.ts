import { invalid } from '../../lib/errors.js';
import type { DutySegment } from './on-duty.js';
import * as store from './roster.store.js';
import { MAX_SEGMENT_MS, type RosterDeps } from './roster-context.service.js';

/**
 * "Who is on duty": the question every other module asks. Reads the persisted duty segments
 * (see docs/adr/0004-on-duty-from-persisted-segments.md), so every process agrees.
 */
export function createOnDutyUseCases(deps: RosterDeps) {
  const { db } = deps;
  const reader =
    deps.sqliteFile && deps.sqliteFile !== ':memory:'
      ? store.openSqliteSegmentReader(deps.sqliteFile)
      : undefined;
  const findSegments = async (
    where: { postId: string } | { teamId: string },
    fromMs: number,
    toMs: number,
  ) =>
    reader
      ? reader.find(where, fromMs, toMs, MAX_SEGMENT_MS)
      : store.findSegments(db, where, fromMs, toMs, MAX_SEGMENT_MS);

  /** Merge the stored pieces of one duty (long overrides are stored cut in pieces). */
  function merge(segments: DutySegment[]): DutySegment[] {
    const out: DutySegment[] = [];
    for (const s of segments) {
      const prev = out.find(
        (p) =>
          p.refId !== undefined &&
          p.refId === s.refId &&
          p.personId === s.personId &&
          p.postId === s.postId &&
          p.endMs === s.startMs,
      );
      if (prev) prev.endMs = s.endMs;
      else out.push({ ...s });
    }
    return out;
  }

  /**
   * Who is on duty on a post (or any post of a team) at instant `at`: from published rosters,
   * approved swaps and overrides. Reads the persisted segments, so every process agrees.
   */
  async function onDuty(q: ({ postId: string } | { teamId: string }) & { at: number }) {
    const where = 'postId' in q ? { postId: q.postId } : { teamId: q.teamId };
    const segments = await findSegments(where, q.at, q.at + 1);
    return {
      personIds: [...new Set(segments.map((s) => s.personId))].sort(),
      segments: merge(segments),
    };
  }

  /** Duty segments on a post (or team) that meet [from, to). */
  async function onDutyBetween(
    q: ({ postId: string } | { teamId: string }) & { from: number; to: number },
  ) {
    if (q.to <= q.from) throw invalid('to', 'roster.errors.intervalEmpty');
    const where = 'postId' in q ? { postId: q.postId } : { teamId: q.teamId };
    return merge(await findSegments(where, q.from, q.to));
  }

  return {
    onDuty,
    onDutyBetween,
    /** Release the on-duty reader's connection. */
    close: () => reader?.close(),
  };
}
