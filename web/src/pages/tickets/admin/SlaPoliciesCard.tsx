import { Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api/client';
import type { Team, User } from '../../../api/types';
import { UserSearchSelect, userLabel } from '../../../components/UserSearchSelect';
import { useLoad } from '../../../lib/useLoad';
import {
  ActiveToggleButton,
  AdminEditDialog,
  AdminListCard,
  activeColumn,
  useEditDialog,
  useRowAction,
} from './AdminListParts';
import { PRIORITIES, TICKET_TYPES } from '../ticketTypes';
import {
  DEFAULT_PAUSE_STATUSES,
  PAUSABLE_STATUSES,
  type SlaPolicy,
  type SlaPolicyForm,
  TARGETS,
  toPolicyBody,
} from './ticketAdminModel';

/** The requesters the policies match, by id (read one by one: few policies name one). */
async function requesterNames(items: readonly SlaPolicy[], signal: AbortSignal) {
  const ids = [...new Set(items.map((p) => p.match.customerId).filter((x) => x !== undefined))];
  const users = await Promise.all(
    ids.map((id) =>
      api.get<{ user: User }>(`/api/users/${encodeURIComponent(id)}`, undefined, { signal }).then(
        (r) => r.user,
        (err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        },
      ),
    ),
  );
  return new Map(users.flatMap((u) => (u ? [[u.id, userLabel(u)] as const] : [])));
}

/** SLA policies: which tickets they match, their targets, calendar and escalation. */
export function SlaPoliciesCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SlaPolicyForm>();
  const dialog = useEditDialog<SlaPolicy | 'new', SlaPolicyForm>(form);
  const {
    data: { items, teams, names },
    reload,
  } = useLoad(
    async (signal) => {
      const [ps, ts] = await Promise.all([
        api.get<{ items: SlaPolicy[] }>('/api/tickets/sla-policies', undefined, { signal }),
        api.get<{ items: Team[] }>('/api/teams', undefined, { signal }),
      ]);
      return { items: ps.items, teams: ts.items, names: await requesterNames(ps.items, signal) };
    },
    [],
    { initial: { items: [], teams: [], names: new Map<string, string>() } },
  );
  const rowAction = useRowAction(reload);

  const open = (p: SlaPolicy | 'new') =>
    dialog.open(
      p,
      p === 'new'
        ? {
            match: {},
            targets: {},
            warnAtPercent: 80,
            escalateOnBreach: true,
            pauseStatuses: [...DEFAULT_PAUSE_STATUSES],
          }
        : {
            name: p.name,
            match: p.match,
            targets: p.targets,
            warnAtPercent: p.warnAtPercent,
            escalateOnBreach: p.escalateOnBreach,
            calendarTeamId: p.calendarTeamId,
            pauseStatuses: p.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES],
          },
    );

  const handleSubmit = (v: SlaPolicyForm) =>
    dialog.submit((editing) => {
      if (editing === 'new') {
        const { active: _active, ...body } = toPolicyBody(v, true);
        return api.post('/api/tickets/sla-policies', body);
      }
      return api.put(`/api/tickets/sla-policies/${editing.id}`, toPolicyBody(v, editing.active));
    }, reload);

  const handleToggle = (p: SlaPolicy) =>
    rowAction(() =>
      p.active
        ? api.delete(`/api/tickets/sla-policies/${p.id}`)
        : api.put(`/api/tickets/sla-policies/${p.id}`, toPolicyBody(p, true)),
    );

  const any = t('tickets.admin.sla.any');
  const columns: TableColumnsType<SlaPolicy> = [
    {
      title: t('tickets.admin.sla.name'),
      dataIndex: 'name',
      render: (name: string) => <span data-testid={`sla-name-${name}`}>{name}</span>,
    },
    {
      title: t('tickets.admin.sla.match'),
      key: 'match',
      render: (_: unknown, p) =>
        [
          p.match.type ? t(`tickets.types.${p.match.type}`) : any,
          p.match.priority ?? any,
          p.match.customerId ? (names.get(p.match.customerId) ?? p.match.customerId) : any,
        ].join(' / '),
    },
    {
      title: t('tickets.admin.sla.pauseStatuses'),
      key: 'pauseStatuses',
      render: (_: unknown, p) => {
        const list = p.pauseStatuses ?? DEFAULT_PAUSE_STATUSES;
        return (
          <span data-testid={`sla-pause-${p.name}`}>
            {list.length > 0
              ? list.map((s) => t(`tickets.status.${s}`)).join('，')
              : t('tickets.admin.sla.neverPause')}
          </span>
        );
      },
    },
    {
      title: t('tickets.admin.sla.targets'),
      key: 'targets',
      render: (_: unknown, p) =>
        TARGETS.map((k) => (p.targets[k] ? `${t(`tickets.admin.sla.${k}`)} ${p.targets[k]}` : null))
          .filter(Boolean)
          .join('，'),
    },
    {
      title: t('tickets.admin.sla.calendar'),
      dataIndex: 'calendarTeamId',
      render: (id: string | null) =>
        id ? (teams.find((x) => x.id === id)?.name ?? id) : t('tickets.admin.sla.groupCalendar'),
    },
    {
      title: t('tickets.admin.sla.escalateOnBreach'),
      dataIndex: 'escalateOnBreach',
      width: 110,
      render: (e: boolean) => (e ? t('tickets.admin.sla.yes') : t('tickets.admin.sla.no')),
    },
    activeColumn<SlaPolicy>(t, (p) => `sla-state-${p.name}`, 100),
    {
      title: t('tickets.admin.actions'),
      key: 'actions',
      width: 180,
      render: (_: unknown, p) => (
        <Space size="small">
          <Button size="small" onClick={() => open(p)} data-testid={`sla-edit-${p.name}`}>
            {t('tickets.admin.sla.edit')}
          </Button>
          <ActiveToggleButton
            active={p.active}
            onClick={() => void handleToggle(p)}
            testId={`sla-toggle-${p.name}`}
          />
        </Space>
      ),
    },
  ];

  return (
    <AdminListCard<SlaPolicy>
      testIdPrefix="sla"
      help={t('tickets.admin.sla.help')}
      addLabel={t('tickets.admin.sla.add')}
      onAdd={() => open('new')}
      columns={columns}
      items={items}
    >
      <AdminEditDialog<SlaPolicyForm>
        open={dialog.editing !== null}
        title={dialog.editing === 'new' ? t('tickets.admin.sla.add') : t('tickets.admin.sla.edit')}
        form={form}
        saving={dialog.saving}
        okTestId="sla-dialog-ok"
        onCancel={dialog.close}
        onFinish={handleSubmit}
      >
        <Form.Item
          name="name"
          label={t('tickets.admin.sla.name')}
          rules={[
            { required: true, whitespace: true, message: t('tickets.admin.sla.nameRequired') },
          ]}
        >
          <Input maxLength={100} data-testid="sla-dialog-name" />
        </Form.Item>
        <Space wrap>
          <Form.Item name={['match', 'type']} label={t('tickets.admin.sla.type')}>
            <Select
              allowClear
              placeholder={any}
              style={{ width: 140 }}
              data-testid="sla-dialog-type"
              options={TICKET_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))}
            />
          </Form.Item>
          <Form.Item name={['match', 'priority']} label={t('tickets.admin.sla.priority')}>
            <Select
              allowClear
              placeholder={any}
              style={{ width: 100 }}
              data-testid="sla-dialog-priority"
              options={PRIORITIES.map((v) => ({ value: v, label: v }))}
            />
          </Form.Item>
          <Form.Item
            name={['match', 'customerId']}
            label={t('tickets.admin.sla.customer')}
            tooltip={t('tickets.admin.sla.customerHelp')}
          >
            <UserSearchSelect
              role="requester"
              placeholder={t('tickets.admin.sla.customerSearch')}
              notFoundContent={t('tickets.admin.sla.customerNone')}
              style={{ width: 260 }}
              data-testid="sla-dialog-customer"
            />
          </Form.Item>
        </Space>
        <Typography.Text type="secondary">{t('tickets.admin.sla.targetsHelp')}</Typography.Text>
        <Space wrap style={{ marginTop: 8 }}>
          {TARGETS.map((k) => (
            <Form.Item key={k} name={['targets', k]} label={t(`tickets.admin.sla.${k}`)}>
              <InputNumber
                min={1}
                max={525600}
                addonAfter={t('tickets.admin.sla.minutes')}
                data-testid={`sla-dialog-${k}`}
              />
            </Form.Item>
          ))}
        </Space>
        <Form.Item
          name="calendarTeamId"
          label={t('tickets.admin.sla.calendar')}
          extra={t('tickets.admin.sla.calendarHelp')}
        >
          <Select
            allowClear
            placeholder={t('tickets.admin.sla.groupCalendar')}
            style={{ width: 320 }}
            data-testid="sla-dialog-calendar"
            options={teams.map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
        <Form.Item
          name="pauseStatuses"
          label={t('tickets.admin.sla.pauseStatuses')}
          extra={t('tickets.admin.sla.pauseStatusesHelp')}
        >
          <Select
            mode="multiple"
            placeholder={t('tickets.admin.sla.neverPause')}
            style={{ width: 420 }}
            data-testid="sla-dialog-pause"
            options={PAUSABLE_STATUSES.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warnAtPercent" label={t('tickets.admin.sla.warnAtPercent')}>
          <InputNumber min={1} max={99} addonAfter="%" data-testid="sla-dialog-warnAtPercent" />
        </Form.Item>
        <Form.Item name="escalateOnBreach" valuePropName="checked">
          <Checkbox data-testid="sla-dialog-escalate">
            {t('tickets.admin.sla.escalateOnBreachLong')}
          </Checkbox>
        </Form.Item>
      </AdminEditDialog>
    </AdminListCard>
  );
}
