import { Tag, Tooltip, Typography, theme } from 'antd';
import { useMemo, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CellChange,
  type CellRef,
  type DragSource,
  coverFor,
  datesOf,
  dayKindOf,
  dropChanges,
  weekdayOf,
} from './rosterModel';
import type { Duty, RosterView, ShiftType, Violation } from './rosterTypes';

/** Readable text on a shift's colour. */
function inkOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const lum = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return lum > 150 ? '#000' : '#fff';
}

const cellKey = (c: CellRef) => `${c.personId}|${c.date}`;

export interface RosterMonthGridProps {
  view: RosterView;
  editable: boolean;
  /** Apply the cells a drop changes (all or nothing on the server). */
  onChange(changes: CellChange[], how: 'drop' | 'move' | 'copy'): void;
  /** The click (and keyboard, and phone) way to set a cell. */
  onOpenCell(cell: CellRef): void;
}

/**
 * The people × days grid of one roster: a palette of shifts to drag onto cells, cells that drag
 * onto other cells (move; Ctrl copies) or open a dialog on click / Enter, violations outlined
 * in place, and a row per post and shift counting who is on duty against the cover it needs.
 */
export function RosterMonthGrid({ view, editable, onChange, onOpenCell }: RosterMonthGridProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const drag = useRef<DragSource | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const dates = useMemo(
    () => datesOf(view.roster.periodStart, view.roster.periodEnd),
    [view.roster.periodStart, view.roster.periodEnd],
  );
  const shiftById = useMemo(() => new Map(view.shiftTypes.map((s) => [s.id, s])), [view]);
  const postById = useMemo(() => new Map(view.posts.map((p) => [p.id, p])), [view]);
  const byCell = useMemo(() => {
    const m = new Map<string, Duty[]>();
    for (const a of view.assignments) {
      const k = cellKey(a);
      m.set(k, [...(m.get(k) ?? []), { postId: a.postId, shiftTypeId: a.shiftTypeId }]);
    }
    return m;
  }, [view]);
  const issuesByCell = useMemo(() => {
    const m = new Map<string, Violation[]>();
    for (const v of view.violations) {
      if (!v.personId) continue;
      const k = cellKey({ personId: v.personId, date: v.date });
      m.set(k, [...(m.get(k) ?? []), v]);
    }
    return m;
  }, [view]);
  const countOf = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of view.cover) m.set(`${c.postId}|${c.shiftTypeId}|${c.date}`, c.count);
    return m;
  }, [view]);
  // A code alone is enough when no two posts offer it.
  const ambiguous = useMemo(() => {
    const seen = new Map<string, number>();
    for (const p of view.posts) for (const s of p.shiftTypeIds) seen.set(s, (seen.get(s) ?? 0) + 1);
    return new Set([...seen].filter(([, n]) => n > 1).map(([s]) => s));
  }, [view]);
  const label = (d: Duty) => {
    const s = shiftById.get(d.shiftTypeId);
    const post = postById.get(d.postId);
    return `${s?.code ?? '?'}${ambiguous.has(d.shiftTypeId) ? `@${post?.name ?? ''}` : ''}`;
  };
  const palette = view.posts.flatMap((p) =>
    p.shiftTypeIds
      .map((sid) => shiftById.get(sid))
      .filter((s): s is ShiftType => s !== undefined)
      .map((s) => ({ duty: { postId: p.id, shiftTypeId: s.id }, shift: s, post: p })),
  );

  const handleDragStart = (e: DragEvent, source: DragSource) => {
    drag.current = source;
    e.dataTransfer.effectAllowed = 'copyMove';
    // Some browsers start a drag only with data set; the source itself is kept in the ref.
    e.dataTransfer.setData('text/plain', source.kind);
  };
  const handleDrop = (e: DragEvent, target: CellRef) => {
    e.preventDefault();
    setOver(null);
    const source = drag.current;
    drag.current = null;
    if (!source) return;
    const copy = source.kind === 'cell' && (e.ctrlKey || e.metaKey || e.altKey);
    const changes = dropChanges(view.assignments, source, target, copy);
    if (changes.length > 0) {
      onChange(changes, source.kind === 'palette' ? 'drop' : copy ? 'copy' : 'move');
    }
  };
  const handleKey = (e: KeyboardEvent, cell: CellRef) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpenCell(cell);
    }
  };

  const headStyle = (date: string) => {
    const kind = dayKindOf(date, view.calendar);
    return {
      color: kind === 'weekday' ? undefined : token.colorError,
      background: kind === 'holiday' ? token.colorErrorBg : undefined,
    };
  };
  const border = `1px solid ${token.colorBorderSecondary}`;
  const sticky = {
    position: 'sticky' as const,
    left: 0,
    zIndex: 1,
    background: token.colorBgContainer,
    borderRight: border,
    padding: '2px 8px',
    whiteSpace: 'nowrap' as const,
    textAlign: 'left' as const,
    minWidth: 110,
  };

  return (
    <div data-testid="roster-grid">
      {editable && (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>
            {t('roster.grid.palette')}
          </Typography.Text>
          {palette.map(({ duty, shift, post }) => (
            <Tag
              key={`${post.id}|${shift.id}`}
              color={shift.colour}
              draggable
              data-testid={`roster-palette-${shift.code}-${post.name}`}
              onDragStart={(e) => handleDragStart(e, { kind: 'palette', duty })}
              onDragEnd={() => (drag.current = null)}
              style={{ cursor: 'grab', color: inkOn(shift.colour), userSelect: 'none' }}
              title={`${shift.name} ${shift.start}–${shift.end} · ${post.name}`}
            >
              {label(duty)} {shift.name}
            </Tag>
          ))}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('roster.grid.paletteHint')}
            </Typography.Text>
          </div>
        </div>
      )}
      <div style={{ overflowX: 'auto', border, borderRadius: token.borderRadius }}>
        <table style={{ borderCollapse: 'collapse', fontSize: 12, width: 'max-content' }}>
          <thead>
            <tr>
              <th style={sticky}>{t('roster.grid.person')}</th>
              {dates.map((d) => (
                <th
                  key={d}
                  style={{ ...headStyle(d), padding: '2px 0', width: 46, borderLeft: border }}
                >
                  <div>{d.slice(8)}</div>
                  <div style={{ fontWeight: 'normal' }}>{t(`roster.weekdays.${weekdayOf(d)}`)}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.people.map((p) => (
              <tr key={p.id} style={{ borderTop: border }}>
                <th style={sticky}>{p.name}</th>
                {dates.map((date) => {
                  const cell = { personId: p.id, date };
                  const k = cellKey(cell);
                  const duties = byCell.get(k) ?? [];
                  const issues = issuesByCell.get(k) ?? [];
                  const blocking = issues.some((v) => v.severity === 'block');
                  const content = (
                    <div
                      data-testid={`roster-cell-${p.id}-${date}`}
                      data-violation={issues.length ? (blocking ? 'block' : 'warn') : undefined}
                      role={editable ? 'button' : undefined}
                      tabIndex={editable ? 0 : undefined}
                      aria-label={t('roster.grid.cellLabel', {
                        person: p.name,
                        date,
                        duties: duties.map(label).join(', ') || t('roster.grid.off'),
                      })}
                      draggable={editable && duties.length > 0}
                      onDragStart={(e) => handleDragStart(e, { kind: 'cell', from: cell })}
                      onDragEnd={() => (drag.current = null)}
                      onDragOver={(e) => {
                        if (!editable) return;
                        e.preventDefault();
                        e.dataTransfer.dropEffect = e.ctrlKey || e.altKey ? 'copy' : 'move';
                        if (over !== k) setOver(k);
                      }}
                      onDragLeave={() => over === k && setOver(null)}
                      onDrop={(e) => editable && handleDrop(e, cell)}
                      onClick={() => editable && onOpenCell(cell)}
                      onKeyDown={(e) => editable && handleKey(e, cell)}
                      style={{
                        minHeight: 26,
                        margin: 1,
                        borderRadius: 4,
                        cursor: editable ? 'pointer' : 'default',
                        outline: issues.length
                          ? `2px solid ${blocking ? token.colorError : token.colorWarning}`
                          : over === k
                            ? `2px dashed ${token.colorPrimary}`
                            : undefined,
                        outlineOffset: -2,
                        display: 'flex',
                        flexDirection: 'column',
                        alignItems: 'center',
                        justifyContent: 'center',
                      }}
                    >
                      {duties.map((d) => {
                        const s = shiftById.get(d.shiftTypeId);
                        return (
                          <span
                            key={`${d.postId}|${d.shiftTypeId}`}
                            style={{
                              background: s?.colour,
                              color: s ? inkOn(s.colour) : undefined,
                              borderRadius: 3,
                              padding: '0 3px',
                              margin: 1,
                              lineHeight: '16px',
                              maxWidth: 44,
                              overflow: 'hidden',
                              textOverflow: 'ellipsis',
                              whiteSpace: 'nowrap',
                            }}
                          >
                            {label(d)}
                          </span>
                        );
                      })}
                    </div>
                  );
                  return (
                    <td key={date} style={{ borderLeft: border, padding: 0 }}>
                      {issues.length ? (
                        <Tooltip
                          trigger={['hover', 'focus']}
                          title={
                            <div data-testid="roster-cell-issues">
                              {issues.map((v, i) => (
                                <div key={i}>{v.message}</div>
                              ))}
                            </div>
                          }
                        >
                          {content}
                        </Tooltip>
                      ) : (
                        content
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
            {view.posts.flatMap((post) =>
              post.shiftTypeIds.map((sid) => {
                const s = shiftById.get(sid);
                return (
                  <tr
                    key={`cover-${post.id}-${sid}`}
                    style={{ borderTop: border, background: token.colorFillQuaternary }}
                    data-testid={`roster-cover-${post.name}-${s?.code ?? sid}`}
                  >
                    <th
                      style={{
                        ...sticky,
                        background: token.colorFillQuaternary,
                        fontWeight: 'normal',
                      }}
                    >
                      {t('roster.grid.cover')}{' '}
                      {t('roster.grid.coverRow', { post: post.name, code: s?.code ?? '' })}
                    </th>
                    {dates.map((date) => {
                      const count = countOf.get(`${post.id}|${sid}|${date}`) ?? 0;
                      const need = coverFor(post, sid, dayKindOf(date, view.calendar));
                      const short = need !== undefined && count < need.min;
                      const under = need !== undefined && !short && count < need.preferred;
                      return (
                        <td
                          key={date}
                          title={
                            need
                              ? t('roster.grid.coverTip', {
                                  count,
                                  min: need.min,
                                  preferred: need.preferred,
                                })
                              : undefined
                          }
                          style={{
                            borderLeft: border,
                            textAlign: 'center',
                            color: short
                              ? token.colorError
                              : under
                                ? token.colorWarning
                                : undefined,
                            fontWeight: short ? 600 : undefined,
                          }}
                        >
                          {need ? `${count}/${need.min}` : count}
                        </td>
                      );
                    })}
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
