import {
  Alert,
  App,
  Button,
  Checkbox,
  InputNumber,
  Popover,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiErrors } from '../../forms/useApiErrors';
import type { RosterStatus } from './rosterTypes';

interface RunView {
  id: string;
  kind: 'generate' | 'replan';
  status: string;
  timeLimitMs: number;
  stopRequested: boolean;
  objective: number | null;
  progress: { ms: number; objective: number }[];
  startedAt: number | null;
  finishedAt: number | null;
  result: null | {
    status: string;
    stopped: boolean;
    published: boolean | null;
    error: string | null;
    assignments: number;
    fairness: {
      personId: string;
      personName: string;
      nights: number;
      weekends: number;
      holidays: number;
      hours: number;
      targetHours: number;
    }[];
    soft: {
      rule: string;
      date: string;
      personName: string;
      shift: string;
      message: string;
      why: string;
    }[];
    reasons: {
      rule: string;
      date: string | null;
      personName: string;
      shift: string;
      message: string;
    }[];
    diff: {
      personId: string;
      personName: string;
      date: string;
      before: string[];
      after: string[];
    }[];
  };
}

const ACTIVE = new Set(['queued', 'running', 'applying']);

/** Objective over time as a small line (no chart library). */
function ObjectiveChart({
  points,
  label,
}: {
  points: { ms: number; objective: number }[];
  label: string;
}) {
  if (points.length < 2) return null;
  const w = 240;
  const h = 60;
  const maxX = Math.max(...points.map((p) => p.ms)) || 1;
  const ys = points.map((p) => p.objective);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const y = (v: number) => (maxY === minY ? h / 2 : h - 4 - ((v - minY) / (maxY - minY)) * (h - 8));
  const d = points
    .map(
      (p, i) =>
        `${i ? 'L' : 'M'}${((p.ms / maxX) * (w - 4) + 2).toFixed(1)},${y(p.objective).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg width={w} height={h} role="img" aria-label={label} data-testid="solver-chart">
      <rect x={0} y={0} width={w} height={h} fill="#fafafa" stroke="#eee" />
      <path d={d} fill="none" stroke="#1677ff" strokeWidth={2} />
    </svg>
  );
}

/**
 * Generate (draft) and re-plan (published) for the duty admin's month: start a solver run,
 * follow its progress, stop it, see the result (fairness, soft rules not met, reasons, diff).
 */
export function SolverPanel({
  rosterId,
  status,
  onChanged,
}: {
  rosterId: string;
  status: RosterStatus;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [run, setRun] = useState<RunView | null>(null);
  const [seconds, setSeconds] = useState<number>(60);
  const [keep, setKeep] = useState(false);
  const [open, setOpen] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const wasActive = useRef(false);

  const poll = useCallback(
    async (id: string) => {
      const r = await api.get<RunView>(`/api/solver/runs/${id}`);
      setRun(r);
      if (ACTIVE.has(r.status)) {
        wasActive.current = true;
        timer.current = window.setTimeout(() => void poll(id).catch(showError), 1000);
      } else if (wasActive.current) {
        wasActive.current = false;
        await onChanged();
      }
    },
    [onChanged, showError],
  );

  useEffect(() => {
    setRun(null);
    api
      .get<{ items: { id: string }[] }>(`/api/solver/rosters/${rosterId}/runs`)
      .then((r) => (r.items[0] ? poll(r.items[0].id) : undefined))
      .catch(showError);
    return () => window.clearTimeout(timer.current);
  }, [rosterId, poll, showError]);

  const start = async (kind: 'generate' | 'replan') => {
    try {
      setOpen(false);
      const r = await api.post<RunView>(`/api/solver/rosters/${rosterId}/${kind}`, {
        timeLimitSeconds: kind === 'generate' ? seconds : 20,
        ...(kind === 'generate' ? { keepExisting: keep } : {}),
      });
      setRun(r);
      window.clearTimeout(timer.current);
      await poll(r.id);
    } catch (err) {
      showError(err);
    }
  };

  const stop = async () => {
    if (!run) return;
    try {
      setRun(await api.post<RunView>(`/api/solver/runs/${run.id}/stop`, {}));
    } catch (err) {
      showError(err);
    }
  };

  const apply = async () => {
    if (!run) return;
    try {
      const r = await api.post<RunView & { published: boolean }>(
        `/api/solver/runs/${run.id}/apply`,
        {},
      );
      setRun(r);
      void message.success(t(r.published ? 'solver.applied' : 'solver.appliedNotPublished'));
      await onChanged();
    } catch (err) {
      showError(err);
    }
  };

  const active = run && ACTIVE.has(run.status);
  const res = run?.result;
  const last = run?.progress[run.progress.length - 1];
  const elapsed = run?.startedAt
    ? Math.round(((run.finishedAt ?? Date.now()) - run.startedAt) / 1000)
    : 0;
  const cells = (l: string[]) => (l.length ? l.join(', ') : t('solver.off'));

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="solver-panel">
      <Space wrap>
        {status === 'draft' && (
          <Popover
            open={open}
            onOpenChange={setOpen}
            trigger="click"
            title={t('solver.generateTitle')}
            content={
              <Space direction="vertical">
                <Space>
                  <span>{t('solver.seconds')}</span>
                  <InputNumber
                    min={1}
                    max={600}
                    value={seconds}
                    onChange={(v) => setSeconds(v ?? 60)}
                    data-testid="solver-seconds"
                  />
                </Space>
                <Checkbox checked={keep} onChange={(e) => setKeep(e.target.checked)}>
                  {t('solver.keepExisting')}
                </Checkbox>
                <Button
                  type="primary"
                  onClick={() => void start('generate')}
                  data-testid="solver-start"
                >
                  {t('solver.start')}
                </Button>
              </Space>
            }
          >
            <Button disabled={!!active} data-testid="solver-generate">
              {t('solver.generate')}
            </Button>
          </Popover>
        )}
        {(status === 'published' || status === 'amended') && (
          <Button
            disabled={!!active}
            title={t('solver.replanHint')}
            onClick={() => void start('replan')}
            data-testid="solver-replan"
          >
            {t('solver.replan')}
          </Button>
        )}
        {run && (
          <Tag
            color={
              active
                ? 'processing'
                : run.status === 'infeasible' || run.status === 'failed'
                  ? 'error'
                  : run.status === 'none_found'
                    ? 'warning'
                    : 'success'
            }
            data-testid="solver-status"
            data-status={run.status}
          >
            {t(`solver.status.${run.status}`)}
          </Tag>
        )}
        {active && run.status === 'running' && (
          <Button
            danger
            disabled={run.stopRequested}
            onClick={() => void stop()}
            data-testid="solver-stop"
          >
            {t('solver.stop')}
          </Button>
        )}
      </Space>
      {run && (active || run.progress.length > 0) && (
        <Space align="center" wrap>
          <ObjectiveChart points={run.progress} label={t('solver.chartLabel')} />
          <Typography.Text type="secondary" data-testid="solver-progress">
            {last
              ? t('solver.progress', {
                  seconds: elapsed,
                  limit: Math.round(run.timeLimitMs / 1000),
                  objective: Math.round(last.objective),
                })
              : active
                ? t('solver.noProgress')
                : ''}
          </Typography.Text>
        </Space>
      )}
      {res?.error && <Alert type="error" message={res.error} data-testid="solver-error" />}
      {res && res.reasons.length > 0 && (
        <Alert
          type="error"
          data-testid="solver-reasons"
          message={t(
            res.status === 'infeasible' ? 'solver.infeasibleTitle' : 'solver.noneFoundTitle',
          )}
          description={
            <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 200, overflow: 'auto' }}>
              {res.reasons.map((r, i) => (
                <li key={i}>
                  {[r.date, r.personName, r.shift].filter(Boolean).join(' · ')} — {r.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {res && res.status === 'feasible' && run.kind === 'generate' && run.status === 'done' && (
        <Alert
          type="success"
          data-testid="solver-written"
          message={t('solver.written', { count: res.assignments })}
          description={res.stopped ? t('solver.stoppedEarly') : undefined}
        />
      )}
      {res && res.status === 'feasible' && run.kind === 'replan' && (
        <>
          <Typography.Text strong>{t('solver.diff', { count: res.diff.length })}</Typography.Text>
          <Table
            size="small"
            pagination={false}
            data-testid="solver-diff"
            rowKey={(c) => `${c.personId}|${c.date}`}
            dataSource={res.diff}
            columns={[
              { title: t('solver.date'), dataIndex: 'date' },
              { title: t('solver.person'), dataIndex: 'personName' },
              { title: t('solver.before'), render: (_, c) => cells(c.before) },
              { title: t('solver.after'), render: (_, c) => cells(c.after) },
            ]}
          />
          {run.status === 'proposed' && (
            <Button type="primary" onClick={() => void apply()} data-testid="solver-apply">
              {t('solver.apply')}
            </Button>
          )}
        </>
      )}
      {res && res.status === 'feasible' && (
        <>
          <Typography.Text strong>{t('solver.fairness')}</Typography.Text>
          <Table
            size="small"
            pagination={false}
            data-testid="solver-fairness"
            rowKey="personId"
            dataSource={res.fairness}
            columns={[
              { title: t('solver.person'), dataIndex: 'personName' },
              { title: t('solver.nights'), dataIndex: 'nights' },
              { title: t('solver.weekends'), dataIndex: 'weekends' },
              { title: t('solver.holidays'), dataIndex: 'holidays' },
              { title: t('solver.hours'), dataIndex: 'hours' },
              { title: t('solver.target'), dataIndex: 'targetHours' },
            ]}
          />
          <Typography.Text strong data-testid="solver-soft-title">
            {res.soft.length ? t('solver.soft', { count: res.soft.length }) : t('solver.softNone')}
          </Typography.Text>
          {res.soft.length > 0 && (
            <ul
              data-testid="solver-soft"
              style={{ margin: 0, paddingLeft: 18, maxHeight: 240, overflow: 'auto' }}
            >
              {res.soft.map((s, i) => (
                <li key={i}>
                  {[s.date, s.personName, s.shift].filter(Boolean).join(' · ')} — {s.message}
                  <Typography.Text type="secondary">
                    {' '}
                    ({t('solver.why')}: {s.why})
                  </Typography.Text>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Space>
  );
}
