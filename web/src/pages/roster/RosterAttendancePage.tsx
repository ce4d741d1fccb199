import { Button, Card, Grid, List, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import { formatInZone } from './rosterModel';
import type { RosterSummary } from './rosterTypes';
import { useTeamChoice } from './useTeamChoice';

interface AttendanceRow {
  assignmentId: string | null;
  overrideId: string | null;
  relievedBy: string[];
  personId: string;
  personName: string;
  date: string;
  shiftCode: string;
  postName: string;
  startMs: number;
  endMs: number;
  checkInAt: number | null;
  checkOutAt: number | null;
  arrival: string;
  departure: string;
  lateMinutes: number;
  earlyLeaveMinutes: number;
}

interface AttendanceView {
  roster: RosterSummary & { timeZone: string; teamName: string };
  rows: AttendanceRow[];
  people: {
    personId: string;
    name: string;
    shifts: number;
    late: number;
    missing: number;
    earlyLeave: number;
    replaced: number;
    overrides: number;
  }[];
}

const arrivalColour: Record<string, string> = {
  early: 'green',
  on_time: 'green',
  late: 'orange',
  missing: 'red',
  pending: 'default',
  replaced: 'blue',
  override: 'purple',
};
const departureColour: Record<string, string> = {
  ok: 'green',
  early_leave: 'orange',
  no_check_out: 'gold',
  pending: 'default',
  replaced: 'blue',
  override: 'purple',
};

/**
 * The month's check-in record for assessment: per person the late, missing and early-leave
 * count, every shift with its check-in and check-out, and CSV and Excel exports (formula-safe).
 * On a phone both tables become lists, one person or shift a row, so nothing scrolls sideways.
 */
export default function RosterAttendancePage() {
  const { t } = useTranslation();
  const isPhone = Grid.useBreakpoint().md === false;
  const { teams, teamId, setTeamId } = useTeamChoice();
  const [rosterId, setRosterId] = useState<string>();
  const [problemsOnly, setProblemsOnly] = useState(false);

  // Drafts have no attendance: only published rosters are offered, the newest first.
  const { data: rosters } = useLoad(
    async (signal) =>
      teamId
        ? (
            await api.get<{ items: RosterSummary[] }>('/api/roster/rosters', { teamId }, { signal })
          ).items.filter((x) => x.status !== 'draft')
        : [],
    [teamId],
    { initial: [], onData: (live) => setRosterId(live[0]?.id) },
  );

  const { data: view } = useLoad(
    async (signal) =>
      rosterId
        ? api.get<AttendanceView>(`/api/roster/rosters/${rosterId}/attendance`, undefined, {
            signal,
          })
        : null,
    [rosterId],
    { initial: null },
  );

  const zone = view?.roster.timeZone ?? 'UTC';
  const time = (ms: number | null) => (ms === null ? '—' : formatInZone(ms, zone));
  const rows = (view?.rows ?? []).filter(
    (r) =>
      !problemsOnly ||
      r.arrival === 'late' ||
      r.arrival === 'missing' ||
      r.departure === 'early_leave' ||
      r.departure === 'no_check_out',
  );
  const shiftLabel = (r: AttendanceRow) =>
    r.overrideId
      ? `${t('roster.attendance.overrideShift', { start: time(r.startMs), end: time(r.endMs) })} · ${r.postName}`
      : `${r.shiftCode} · ${r.postName}`;
  const arrivalTag = (r: AttendanceRow) => (
    <Space size={4} wrap>
      <Tag color={arrivalColour[r.arrival]}>
        {t(`roster.attendance.arrivals.${r.arrival}`, { minutes: r.lateMinutes })}
      </Tag>
      {r.relievedBy.length > 0 && (
        <Typography.Text type="secondary">
          {t('roster.attendance.relievedBy', { names: r.relievedBy.join('、') })}
        </Typography.Text>
      )}
    </Space>
  );
  const departureTag = (r: AttendanceRow) => (
    <Tag color={departureColour[r.departure]}>
      {t(`roster.attendance.departures.${r.departure}`, { minutes: r.earlyLeaveMinutes })}
    </Tag>
  );
  /** A count as a tag, coloured when it is a problem; the label keeps it readable in a list. */
  const countTag = (label: string, n: number, colour?: string) => (
    <Tag color={n && colour ? colour : undefined}>
      {label} {n}
    </Tag>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.attendance.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 160 }}
          value={teamId}
          onChange={setTeamId}
          placeholder={t('roster.month.team')}
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        <Select
          style={isPhone ? { width: 'calc(100vw - 24px)', maxWidth: 360 } : { minWidth: 240 }}
          value={rosterId}
          onChange={setRosterId}
          data-testid="attendance-roster"
          notFoundContent={t('roster.attendance.none')}
          options={rosters.map((r) => ({
            value: r.id,
            label: `${r.periodStart} – ${r.periodEnd} · ${t(`roster.statuses.${r.status}`)}`,
          }))}
        />
        {rosterId && (
          <Button
            href={`/api/roster/rosters/${rosterId}/attendance.csv`}
            data-testid="attendance-csv"
          >
            {t('roster.attendance.exportCsv')}
          </Button>
        )}
        {rosterId && (
          <Button
            href={`/api/roster/rosters/${rosterId}/attendance.xlsx`}
            data-testid="attendance-xlsx"
          >
            {t('roster.attendance.exportXlsx')}
          </Button>
        )}
      </Space>
      {!rosterId && (
        <Typography.Text type="secondary">{t('roster.attendance.none')}</Typography.Text>
      )}
      {view && (
        <Card size="small" title={t('roster.attendance.summary')}>
          {isPhone ? (
            <List
              size="small"
              dataSource={view.people}
              data-testid="attendance-summary"
              rowKey="personId"
              renderItem={(p) => (
                <List.Item style={{ display: 'block', paddingInline: 0 }}>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <div style={{ marginTop: 4 }}>
                    <Space size={4} wrap>
                      {countTag(t('roster.attendance.shifts'), p.shifts)}
                      {countTag(t('roster.attendance.late'), p.late, 'orange')}
                      {countTag(t('roster.attendance.missing'), p.missing, 'red')}
                      {countTag(t('roster.attendance.earlyLeave'), p.earlyLeave, 'orange')}
                      {p.replaced > 0 && countTag(t('roster.attendance.replaced'), p.replaced)}
                      {p.overrides > 0 && countTag(t('roster.attendance.overrides'), p.overrides)}
                    </Space>
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Table
              size="small"
              rowKey="personId"
              pagination={false}
              scroll={{ x: true }}
              dataSource={view.people}
              data-testid="attendance-summary"
              columns={[
                { title: t('roster.attendance.person'), dataIndex: 'name' },
                { title: t('roster.attendance.shifts'), dataIndex: 'shifts' },
                {
                  title: t('roster.attendance.late'),
                  dataIndex: 'late',
                  render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
                },
                {
                  title: t('roster.attendance.missing'),
                  dataIndex: 'missing',
                  render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0),
                },
                {
                  title: t('roster.attendance.earlyLeave'),
                  dataIndex: 'earlyLeave',
                  render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
                },
                { title: t('roster.attendance.replaced'), dataIndex: 'replaced' },
                { title: t('roster.attendance.overrides'), dataIndex: 'overrides' },
              ]}
            />
          )}
        </Card>
      )}
      {view && (
        <Card
          size="small"
          title={t('roster.attendance.shiftsTitle')}
          extra={
            <Space>
              <Typography.Text>{t('roster.attendance.problemsOnly')}</Typography.Text>
              <Switch
                checked={problemsOnly}
                onChange={setProblemsOnly}
                data-testid="attendance-problems"
              />
            </Space>
          }
        >
          {isPhone ? (
            <List
              size="small"
              dataSource={rows}
              data-testid="attendance-table"
              rowKey={(r: AttendanceRow) => r.assignmentId ?? `override-${r.overrideId}`}
              pagination={rows.length > 50 ? { pageSize: 50, size: 'small' } : false}
              renderItem={(r) => (
                <List.Item
                  style={{ display: 'block', paddingInline: 0 }}
                  data-testid="attendance-row"
                >
                  <div>
                    <Typography.Text strong>{r.personName}</Typography.Text>
                    <Typography.Text type="secondary">
                      {' · '}
                      {r.date}
                    </Typography.Text>
                  </div>
                  <div>{shiftLabel(r)}</div>
                  <Typography.Text type="secondary">
                    {t('roster.attendance.checkIn')} {time(r.checkInAt)} ·{' '}
                    {t('roster.attendance.checkOut')} {time(r.checkOutAt)}
                  </Typography.Text>
                  <div style={{ marginTop: 4 }}>
                    <Space size={4} wrap>
                      {arrivalTag(r)}
                      {departureTag(r)}
                    </Space>
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Table
              size="small"
              rowKey={(r: AttendanceRow) => r.assignmentId ?? `override-${r.overrideId}`}
              scroll={{ x: true }}
              dataSource={rows}
              data-testid="attendance-table"
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: t('roster.attendance.date'), dataIndex: 'date' },
                { title: t('roster.attendance.person'), dataIndex: 'personName' },
                {
                  title: t('roster.attendance.shift'),
                  render: (_: unknown, r: AttendanceRow) => shiftLabel(r),
                },
                {
                  title: t('roster.attendance.checkIn'),
                  render: (_: unknown, r: AttendanceRow) => time(r.checkInAt),
                },
                {
                  title: t('roster.attendance.checkOut'),
                  render: (_: unknown, r: AttendanceRow) => time(r.checkOutAt),
                },
                {
                  title: t('roster.attendance.arrival'),
                  render: (_: unknown, r: AttendanceRow) => arrivalTag(r),
                },
                {
                  title: t('roster.attendance.departure'),
                  render: (_: unknown, r: AttendanceRow) => departureTag(r),
                },
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
