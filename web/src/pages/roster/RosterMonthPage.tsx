import {
  Alert,
  App,
  Button,
  DatePicker,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useCan } from '../../auth/AuthContext';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import { RosterCellDialog } from './RosterCellDialog';
import { RosterMonthGrid } from './RosterMonthGrid';
import { RosterRotationDialog } from './RosterRotationDialog';
import { SolverPanel } from './SolverPanel';
import { type CellChange, type CellRef, formatInZone } from './rosterModel';
import type { Duty, RosterSummary, RosterView } from './rosterTypes';
import { useTeamChoice } from './useTeamChoice';

interface ImportError {
  row: number;
  column: string;
  message: string;
}

/**
 * The duty admin's month: choose a team and a roster (or create next month's), build it from a
 * rotation, edit it in the grid, see violations and cover, publish, amend, close; everyone else
 * sees the roster read-only.
 */
interface Confirmations {
  deadline: number | null;
  people: { name: string; confirmedAt: number | null }[];
}

export default function RosterMonthPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const canManage = useCan('roster.manage');
  const { teams, teamId, setTeamId } = useTeamChoice();
  const [rosterId, setRosterId] = useState<string>();
  const [editing, setEditing] = useState<CellRef | null>(null);
  const [rotationOpen, setRotationOpen] = useState(false);
  const [month, setMonth] = useState(dayjs().add(1, 'month').startOf('month'));
  const [importErrors, setImportErrors] = useState<ImportError[]>([]);

  const { data: rosters, reload: loadRosters } = useLoad(
    async (signal) =>
      teamId
        ? (await api.get<{ items: RosterSummary[] }>('/api/roster/rosters', { teamId }, { signal }))
            .items
        : [],
    [teamId],
    {
      initial: [],
      // Keep the roster shown while it still exists; otherwise show the newest.
      onData: (items) =>
        setRosterId((cur) => (cur && items.some((x) => x.id === cur) ? cur : items[0]?.id)),
    },
  );

  const {
    data: { view, confirmations },
    reload: loadView,
  } = useLoad(
    async (signal) => {
      if (!rosterId) return { view: null, confirmations: null };
      const v = await api.get<RosterView>(`/api/roster/rosters/${rosterId}`, undefined, {
        signal,
      });
      const confirmations =
        canManage && v.roster.status !== 'draft'
          ? await api.get<Confirmations>(
              `/api/roster/rosters/${rosterId}/confirmations`,
              undefined,
              { signal },
            )
          : null;
      return { view: v, confirmations };
    },
    [rosterId, canManage],
    { initial: { view: null, confirmations: null } },
  );

  const status = view?.roster.status;
  const editable = canManage && (status === 'draft' || status === 'amended');
  const blocking = (view?.violations ?? []).filter((v) => v.severity === 'block');
  const nameOf = (id?: string) => view?.people.find((p) => p.id === id)?.name ?? '';

  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) void message.success(done);
    } catch (err) {
      showError(err);
    }
    await loadView();
  };

  const handleChange = (changes: CellChange[], how: 'drop' | 'move' | 'copy') =>
    void run(
      () => api.put(`/api/roster/rosters/${rosterId}/cells/batch`, { cells: changes }),
      how === 'drop' ? undefined : t(how === 'move' ? 'roster.grid.moved' : 'roster.grid.copied'),
    );

  const handleSaveCell = async (duties: Duty[]) => {
    if (!editing || !rosterId) return;
    try {
      await api.put(`/api/roster/rosters/${rosterId}/cells`, { ...editing, duties });
      setEditing(null);
    } catch (err) {
      showError(err);
    }
    await loadView();
  };

  const handleCreate = async () => {
    if (!teamId) return;
    const previous = rosters[0];
    try {
      const created = await api.post<RosterView>('/api/roster/rosters', {
        teamId,
        periodStart: month.startOf('month').format('YYYY-MM-DD'),
        periodEnd: month.endOf('month').format('YYYY-MM-DD'),
        ...(previous ? { copyFrom: { rosterId: previous.id, alignment: 'weekday' } } : {}),
      });
      void message.success(
        t('roster.month.created', {
          period: `${created.roster.periodStart} – ${created.roster.periodEnd}`,
        }),
      );
      await loadRosters();
      setRosterId(created.roster.id);
    } catch (err) {
      showError(err);
    }
  };

  const handlePublish = () =>
    void run(async () => {
      const r = await api.post<{ notified: number }>(`/api/roster/rosters/${rosterId}/publish`, {});
      void message.success(t('roster.month.published', { count: r.notified }));
      await loadRosters();
    });

  const handleStatus = (action: 'amend' | 'close', done?: string) =>
    void run(async () => {
      await api.post(`/api/roster/rosters/${rosterId}/${action}`, {});
      await loadRosters();
    }, done);

  const handleDelete = async () => {
    try {
      await api.delete(`/api/roster/rosters/${rosterId}`);
      void message.success(t('roster.month.deleted'));
      setRosterId(undefined);
      await loadRosters();
    } catch (err) {
      showError(err);
    }
  };

  const handleImport = async (file: File) => {
    setImportErrors([]);
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    try {
      const r = await api.post<{ imported: number }>(`/api/roster/rosters/${rosterId}/import`, {
        fileBase64: btoa(binary),
      });
      void message.success(t('roster.month.imported', { count: r.imported }));
    } catch (err) {
      showError(err);
      if (err instanceof ApiError && err.code === 'import_failed') {
        setImportErrors((err.body as { errors?: ImportError[] }).errors ?? []);
      }
    }
    await loadView();
  };

  const unconfirmed = confirmations?.people.filter((p) => !p.confirmedAt).map((p) => p.name);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.month.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 160 }}
          placeholder={t('roster.month.team')}
          value={teamId}
          onChange={setTeamId}
          data-testid="roster-team"
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        <Select
          style={{ minWidth: 260 }}
          placeholder={t('roster.month.roster')}
          value={rosterId}
          onChange={setRosterId}
          data-testid="roster-select"
          notFoundContent={t('roster.month.none')}
          options={rosters.map((r) => ({
            value: r.id,
            label: `${r.periodStart} – ${r.periodEnd} · ${t(`roster.statuses.${r.status}`)}`,
          }))}
        />
        {canManage && (
          <>
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(v) => v && setMonth(v)}
              data-testid="roster-month"
            />
            <Button
              onClick={() => void handleCreate()}
              data-testid="roster-create"
              title={rosters.length ? t('roster.month.createCopies') : undefined}
            >
              {t('roster.month.create')}
            </Button>
          </>
        )}
      </Space>
      {view && (
        <Space wrap>
          <Tag data-testid="roster-status" color={status === 'draft' ? 'default' : 'blue'}>
            {t(`roster.statuses.${view.roster.status}`)}
          </Tag>
          {editable && (
            <>
              <Button onClick={() => setRotationOpen(true)} data-testid="roster-rotation">
                {t('roster.month.rotation')}
              </Button>
              <Upload
                accept=".xlsx"
                showUploadList={false}
                beforeUpload={(file) => {
                  void handleImport(file);
                  return false;
                }}
              >
                <Button>{t('roster.month.importExcel')}</Button>
              </Upload>
              <Button
                type="primary"
                disabled={blocking.length > 0}
                title={
                  blocking.length
                    ? t('roster.month.blockingHint', { count: blocking.length })
                    : undefined
                }
                onClick={handlePublish}
                data-testid="roster-publish"
              >
                {t('roster.month.publish')}
              </Button>
            </>
          )}
          {canManage && status === 'published' && (
            <Button onClick={() => handleStatus('amend')} data-testid="roster-amend">
              {t('roster.month.amend')}
            </Button>
          )}
          {canManage && (status === 'published' || status === 'amended') && (
            <Popconfirm
              title={t('roster.month.closeConfirm')}
              onConfirm={() => handleStatus('close', t('roster.month.closed'))}
            >
              <Button data-testid="roster-close">{t('roster.month.close')}</Button>
            </Popconfirm>
          )}
          {canManage && status === 'draft' && (
            <Popconfirm
              title={t('roster.month.deleteConfirm')}
              onConfirm={() => void handleDelete()}
            >
              <Button danger data-testid="roster-delete">
                {t('roster.month.delete')}
              </Button>
            </Popconfirm>
          )}
          <Button href={`/api/roster/rosters/${view.roster.id}/export.xlsx`}>
            {t('roster.month.exportExcel')}
          </Button>
        </Space>
      )}
      {view && canManage && status && status !== 'closed' && (
        <SolverPanel rosterId={view.roster.id} status={status} onChanged={loadView} />
      )}
      {confirmations && unconfirmed && confirmations.people.length > 0 && (
        <Typography.Text
          type={unconfirmed.length ? 'warning' : 'success'}
          data-testid="roster-confirmations"
        >
          {unconfirmed.length
            ? t('roster.month.unconfirmed', { names: unconfirmed.join(t('common.listSeparator')) })
            : t('roster.month.allConfirmed')}
          {confirmations.deadline && unconfirmed.length > 0
            ? ` · ${t('roster.month.confirmDeadline', {
                time: formatInZone(confirmations.deadline, view?.roster.timeZone ?? 'UTC'),
              })}`
            : ''}
          {unconfirmed.length > 0 && status !== 'closed' && (
            <Button
              size="small"
              style={{ marginLeft: 8 }}
              data-testid="roster-remind"
              onClick={() =>
                void run(async () => {
                  const r = await api.post<{ reminded: number }>(
                    `/api/roster/rosters/${rosterId}/remind`,
                    {},
                  );
                  void message.success(t('roster.month.reminded', { count: r.reminded }));
                })
              }
            >
              {t('roster.month.remindNow')}
            </Button>
          )}
        </Typography.Text>
      )}
      {!view && (
        <Alert
          type="info"
          showIcon
          message={t('roster.month.emptyTitle')}
          description={t('roster.month.emptyHint')}
        />
      )}
      {view && view.posts.length === 0 && (
        <Alert
          type="warning"
          showIcon
          message={t('roster.month.noSetup')}
          action={
            canManage ? (
              <Link to="/roster-setup">
                <Button size="small">{t('roster.month.goSetup')}</Button>
              </Link>
            ) : undefined
          }
        />
      )}
      {view && canManage && status === 'published' && (
        <Typography.Text type="secondary">{t('roster.month.readOnly')}</Typography.Text>
      )}
      {view && status === 'closed' && (
        <Typography.Text type="secondary">{t('roster.month.closedHint')}</Typography.Text>
      )}
      {importErrors.length > 0 && (
        <Alert
          type="error"
          message={t('roster.month.importErrors')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {importErrors.map((e, i) => (
                <li key={i}>{t('roster.month.importRow', { ...e })}</li>
              ))}
            </ul>
          }
          closable
          onClose={() => setImportErrors([])}
        />
      )}
      {view && (
        <RosterMonthGrid
          view={view}
          editable={editable}
          onChange={handleChange}
          onOpenCell={setEditing}
        />
      )}
      {view &&
        (view.violations.length === 0 ? (
          <Alert
            type="success"
            message={t('roster.month.noViolations')}
            data-testid="roster-violations"
          />
        ) : (
          <Alert
            data-testid="roster-violations"
            type={blocking.length ? 'error' : 'warning'}
            message={t('roster.month.violations', { count: view.violations.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 240, overflow: 'auto' }}>
                {view.violations.map((v, i) => (
                  <li key={i}>
                    <Tag color={v.severity === 'block' ? 'red' : 'orange'}>
                      {t(v.severity === 'block' ? 'roster.month.blocking' : 'roster.month.warning')}
                    </Tag>
                    {v.date} {nameOf(v.personId)} {v.message}
                  </li>
                ))}
              </ul>
            }
          />
        ))}
      {view && (
        <>
          <RosterCellDialog
            view={view}
            cell={editing}
            onSave={handleSaveCell}
            onClose={() => setEditing(null)}
          />
          <RosterRotationDialog
            view={view}
            open={rotationOpen}
            onClose={() => setRotationOpen(false)}
            onDone={async () => {
              setRotationOpen(false);
              void message.success(t('roster.rotation.applied'));
              await loadView();
            }}
          />
        </>
      )}
    </Space>
  );
}
