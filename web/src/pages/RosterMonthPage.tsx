import {
  App,
  Alert,
  Button,
  DatePicker,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Team } from '../api/types';
import { useCan } from '../auth/AuthContext';
import { useApiErrors } from '../forms/useApiErrors';
import { TID } from '../testids';

interface ShiftType {
  id: string;
  code: string;
  name: string;
  colour: string;
}
interface Post {
  id: string;
  name: string;
  shiftTypeIds: string[];
}
interface Assignment {
  personId: string;
  postId: string;
  shiftTypeId: string;
  date: string;
}
interface Violation {
  rule: string;
  severity: 'block' | 'warn';
  personId?: string;
  postId?: string;
  shiftTypeId?: string;
  date: string;
  message: string;
}
interface RosterSummary {
  id: string;
  periodStart: string;
  periodEnd: string;
  status: string;
}
interface RosterView {
  roster: RosterSummary & { teamName: string };
  people: { id: string; name: string }[];
  shiftTypes: ShiftType[];
  posts: Post[];
  assignments: Assignment[];
  violations: Violation[];
  cover: { postId: string; shiftTypeId: string; date: string; count: number }[];
}
interface Row {
  key: string;
  name: string;
  personId?: string;
  coverOf?: { postId: string; shiftTypeId: string };
}

function datesOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = dayjs(start); !d.isAfter(dayjs(end)); d = d.add(1, 'day')) {
    out.push(d.format('YYYY-MM-DD'));
  }
  return out;
}

/** The duty admin's month: people × days, a cell per person and day, cover rows per post. */
export default function RosterMonthPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const canManage = useCan('roster.manage');
  const [teams, setTeams] = useState<Team[]>([]);
  const [teamId, setTeamId] = useState<string>();
  const [rosters, setRosters] = useState<RosterSummary[]>([]);
  const [rosterId, setRosterId] = useState<string>();
  const [view, setView] = useState<RosterView | null>(null);
  const [editing, setEditing] = useState<{ personId: string; date: string } | null>(null);
  const [choice, setChoice] = useState<string[]>([]);
  const [month, setMonth] = useState(dayjs().add(1, 'month').startOf('month'));
  const [unconfirmed, setUnconfirmed] = useState<string[] | null>(null);

  useEffect(() => {
    api
      .get<{ items: Team[] }>('/api/teams')
      .then((r) => {
        setTeams(r.items);
        if (r.items[0]) setTeamId(r.items[0].id);
      })
      .catch(showError);
  }, [showError]);

  const loadRosters = useCallback(async () => {
    if (!teamId) return;
    const r = await api.get<{ items: RosterSummary[] }>('/api/roster/rosters', { teamId });
    setRosters(r.items);
    setRosterId((cur) => (cur && r.items.some((x) => x.id === cur) ? cur : r.items[0]?.id));
  }, [teamId]);

  useEffect(() => {
    loadRosters().catch(showError);
  }, [loadRosters, showError]);

  const loadView = useCallback(async () => {
    if (!rosterId) {
      setView(null);
      return;
    }
    setView(await api.get<RosterView>(`/api/roster/rosters/${rosterId}`));
    if (canManage) {
      const c = await api.get<{ people: { name: string; confirmedAt: number | null }[] }>(
        `/api/roster/rosters/${rosterId}/confirmations`,
      );
      setUnconfirmed(
        c.people.length === 0 ? null : c.people.filter((p) => !p.confirmedAt).map((p) => p.name),
      );
    }
  }, [rosterId, canManage]);

  useEffect(() => {
    loadView().catch(showError);
  }, [loadView, showError]);

  const dates = useMemo(
    () => (view ? datesOf(view.roster.periodStart, view.roster.periodEnd) : []),
    [view],
  );
  const shiftById = useMemo(() => new Map((view?.shiftTypes ?? []).map((s) => [s.id, s])), [view]);
  const postById = useMemo(() => new Map((view?.posts ?? []).map((p) => [p.id, p])), [view]);
  const cell = useCallback(
    (personId: string, date: string) =>
      (view?.assignments ?? []).filter((a) => a.personId === personId && a.date === date),
    [view],
  );
  const cellViolations = useCallback(
    (personId: string, date: string) =>
      (view?.violations ?? []).filter((v) => v.personId === personId && v.date === date),
    [view],
  );
  const editable = canManage && view && ['draft', 'amended'].includes(view.roster.status);

  const options = useMemo(
    () =>
      (view?.posts ?? []).flatMap((p) =>
        p.shiftTypeIds.map((sid) => ({
          value: `${p.id}|${sid}`,
          label: `${shiftById.get(sid)?.code ?? '?'} · ${shiftById.get(sid)?.name ?? ''} @ ${p.name}`,
        })),
      ),
    [view, shiftById],
  );

  const handleOpenCell = (personId: string, date: string) => {
    if (!editable) return;
    setEditing({ personId, date });
    setChoice(cell(personId, date).map((a) => `${a.postId}|${a.shiftTypeId}`));
  };

  const handleSaveCell = async () => {
    if (!editing || !rosterId) return;
    try {
      await api.put(`/api/roster/rosters/${rosterId}/cells`, {
        ...editing,
        duties: choice.map((c) => {
          const [postId, shiftTypeId] = c.split('|');
          return { postId, shiftTypeId };
        }),
      });
      setEditing(null);
      await loadView();
    } catch (err) {
      showError(err);
    }
  };

  const handlePublish = async () => {
    if (!rosterId) return;
    try {
      const r = await api.post<{ notified: number }>(`/api/roster/rosters/${rosterId}/publish`, {});
      void message.success(t('rosterPage.published', { count: r.notified }));
      await loadRosters();
      await loadView();
    } catch (err) {
      showError(err);
      await loadView();
    }
  };

  const handleAmend = async () => {
    if (!rosterId) return;
    try {
      await api.post(`/api/roster/rosters/${rosterId}/amend`, {});
      await loadRosters();
      await loadView();
    } catch (err) {
      showError(err);
    }
  };

  const handleCreate = async () => {
    if (!teamId) return;
    const previous = rosters[0];
    try {
      const created = await api.post<{ roster: { id: string } }>('/api/roster/rosters', {
        teamId,
        periodStart: month.startOf('month').format('YYYY-MM-DD'),
        periodEnd: month.endOf('month').format('YYYY-MM-DD'),
        ...(previous ? { copyFrom: { rosterId: previous.id, alignment: 'weekday' } } : {}),
      });
      await loadRosters();
      setRosterId(created.roster.id);
    } catch (err) {
      showError(err);
    }
  };

  const rows: Row[] = useMemo(() => {
    if (!view) return [];
    const people = view.people.map((p) => ({ key: p.id, name: p.name, personId: p.id }));
    const cover = view.posts.flatMap((p) =>
      p.shiftTypeIds.map((sid) => ({
        key: `cover-${p.id}-${sid}`,
        name: `${t('rosterPage.cover')} ${p.name} ${shiftById.get(sid)?.code ?? ''}`,
        coverOf: { postId: p.id, shiftTypeId: sid },
      })),
    );
    return [...people, ...cover];
  }, [view, shiftById, t]);

  const columns: TableColumnsType<Row> = [
    { title: t('rosterPage.person'), dataIndex: 'name', fixed: 'left', width: 140 },
    ...dates.map((date) => ({
      title: (
        <span style={{ color: [0, 6].includes(dayjs(date).day()) ? '#cf1322' : undefined }}>
          {date.slice(8)}
        </span>
      ),
      key: date,
      width: 56,
      align: 'center' as const,
      render: (_: unknown, row: Row) => {
        if (row.coverOf) {
          const { postId, shiftTypeId } = row.coverOf;
          const n =
            view?.cover.find(
              (c) => c.postId === postId && c.shiftTypeId === shiftTypeId && c.date === date,
            )?.count ?? 0;
          const short = (view?.violations ?? []).some(
            (v) =>
              v.rule === 'coverMin' &&
              v.postId === postId &&
              v.shiftTypeId === shiftTypeId &&
              v.date === date,
          );
          return <span style={{ color: short ? '#cf1322' : undefined }}>{n}</span>;
        }
        const personId = row.personId!;
        const duties = cell(personId, date);
        const issues = cellViolations(personId, date);
        const blocking = issues.some((v) => v.severity === 'block');
        const content = (
          <div
            role={editable ? 'button' : undefined}
            onClick={() => handleOpenCell(personId, date)}
            style={{
              cursor: editable ? 'pointer' : 'default',
              minHeight: 24,
              borderRadius: 4,
              outline: issues.length ? `2px solid ${blocking ? '#cf1322' : '#faad14'}` : undefined,
            }}
          >
            {duties.map((a) => {
              const s = shiftById.get(a.shiftTypeId);
              const multiPost = (view?.posts.length ?? 0) > 1;
              return (
                <Tag key={`${a.postId}${a.shiftTypeId}`} color={s?.colour} style={{ margin: 1 }}>
                  {s?.code}
                  {multiPost ? `@${postById.get(a.postId)?.name ?? ''}` : ''}
                </Tag>
              );
            })}
          </div>
        );
        return issues.length ? (
          <Tooltip title={issues.map((v) => v.message).join('\n')}>{content}</Tooltip>
        ) : (
          content
        );
      },
    })),
  ];

  const blocking = (view?.violations ?? []).filter((v) => v.severity === 'block');
  const nameOf = (id?: string) => view?.people.find((p) => p.id === id)?.name ?? '';

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('rosterPage.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 180 }}
          placeholder={t('rosterPage.team')}
          value={teamId}
          onChange={setTeamId}
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        <Select
          style={{ minWidth: 260 }}
          placeholder={t('rosterPage.roster')}
          value={rosterId}
          onChange={setRosterId}
          notFoundContent={t('rosterPage.none')}
          options={rosters.map((r) => ({
            value: r.id,
            label: `${r.periodStart} – ${r.periodEnd} · ${t(`rosterPage.statuses.${r.status}`)}`,
          }))}
        />
        {canManage && (
          <>
            <DatePicker picker="month" value={month} onChange={(v) => v && setMonth(v)} />
            <Button onClick={() => void handleCreate()}>{t('rosterPage.create')}</Button>
          </>
        )}
        {canManage && view && ['draft', 'amended'].includes(view.roster.status) && (
          <Button
            type="primary"
            disabled={blocking.length > 0}
            onClick={() => void handlePublish()}
          >
            {t('rosterPage.publish')}
          </Button>
        )}
        {canManage && view?.roster.status === 'published' && (
          <Button onClick={() => void handleAmend()}>{t('rosterPage.amend')}</Button>
        )}
        {view && (
          <Button href={`/api/roster/rosters/${view.roster.id}/export.xlsx`}>
            {t('rosterPage.exportExcel')}
          </Button>
        )}
      </Space>
      {unconfirmed && (
        <Typography.Text type={unconfirmed.length ? 'warning' : 'success'}>
          {unconfirmed.length
            ? t('rosterPage.unconfirmed', { names: unconfirmed.join(t('common.listSeparator')) })
            : t('rosterPage.allConfirmed')}
        </Typography.Text>
      )}
      {!view && (
        <Alert
          type="info"
          showIcon
          message={t('rosterPage.emptyTitle')}
          description={t('rosterPage.emptyHint')}
        />
      )}
      {view && (
        <Table<Row>
          size="small"
          bordered
          pagination={false}
          rowKey="key"
          scroll={{ x: 'max-content' }}
          columns={columns}
          dataSource={rows}
        />
      )}
      {view &&
        (view.violations.length === 0 ? (
          <Alert type="success" message={t('rosterPage.noViolations')} />
        ) : (
          <Alert
            type={blocking.length ? 'error' : 'warning'}
            message={t('rosterPage.violations', { count: view.violations.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 240, overflow: 'auto' }}>
                {view.violations.map((v, i) => (
                  <li key={i}>
                    <Tag color={v.severity === 'block' ? 'red' : 'orange'}>
                      {t(v.severity === 'block' ? 'rosterPage.blocking' : 'rosterPage.warning')}
                    </Tag>
                    {v.date} {nameOf(v.personId)} {v.message}
                  </li>
                ))}
              </ul>
            }
          />
        ))}
      <Modal
        open={editing !== null}
        title={
          editing
            ? t('rosterPage.setCell', { person: nameOf(editing.personId), date: editing.date })
            : ''
        }
        okText={t('rosterPage.save')}
        onOk={() => void handleSaveCell()}
        onCancel={() => setEditing(null)}
      >
        <Select
          mode="multiple"
          allowClear
          style={{ width: '100%' }}
          placeholder={t('rosterPage.off')}
          value={choice}
          onChange={setChoice}
          options={options}
        />
      </Modal>
    </Space>
  );
}
