import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Team } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useApiErrors, useErrorText } from '../../forms/useApiErrors';
import { TID } from '../../testids';

interface Category {
  id: string;
  parentId: string | null;
  name: string;
  active: boolean;
}
interface CategoryNode extends Category {
  children?: CategoryNode[];
}
interface PriorityMatrix {
  impacts: string[];
  urgencies: string[];
  cells: Record<string, Record<string, string>>;
}
interface Settings {
  priorityMatrix: PriorityMatrix;
  autoCloseDays: number;
  slaWarnPercent: number;
  slaAlertServiceId: string | null;
  dispatchStrategy: string;
}
type SettingsForm = Omit<Settings, 'priorityMatrix'> & { cells: PriorityMatrix['cells'] };
type Dialog =
  | { kind: 'create' }
  | { kind: 'rename'; category: Category }
  | { kind: 'move'; category: Category };

const TOP = '__top__';

/** The category tree, children under their parent, each level in the server's order. */
function toTree(items: readonly Category[]): CategoryNode[] {
  const nodes = new Map(items.map((c) => [c.id, { ...c } as CategoryNode]));
  const roots: CategoryNode[] = [];
  for (const c of items) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids under `id` (itself included): a category cannot move there. */
function subtreeOf(id: string, items: readonly Category[]): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of items)
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
  }
  return out;
}

function CategoriesPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [items, setItems] = useState<Category[]>([]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name?: string; parentId?: string }>();

  const load = useCallback(async () => {
    try {
      setItems((await api.get<{ items: Category[] }>('/api/tickets/categories')).items);
    } catch (err) {
      showError(err);
    }
  }, [showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const tree = useMemo(() => toTree(items), [items]);
  const parentOptions = useMemo(() => {
    const excluded = dialog?.kind === 'move' ? subtreeOf(dialog.category.id, items) : new Set();
    return [
      { value: TOP, label: t('tickets.admin.topLevel') },
      ...items.filter((c) => !excluded.has(c.id)).map((c) => ({ value: c.id, label: c.name })),
    ];
  }, [dialog, items, t]);

  const open = (d: Dialog) => {
    form.resetFields();
    if (d.kind === 'rename') form.setFieldsValue({ name: d.category.name });
    if (d.kind === 'move') form.setFieldsValue({ parentId: d.category.parentId ?? TOP });
    if (d.kind === 'create') form.setFieldsValue({ parentId: TOP });
    setDialog(d);
  };

  const handleSubmit = async (values: { name?: string; parentId?: string }) => {
    if (!dialog) return;
    const parentId = values.parentId === TOP ? null : (values.parentId ?? null);
    setSaving(true);
    try {
      if (dialog.kind === 'create')
        await api.post('/api/tickets/categories', { name: values.name, parentId });
      else if (dialog.kind === 'rename')
        await api.patch(`/api/tickets/categories/${dialog.category.id}`, { name: values.name });
      else await api.patch(`/api/tickets/categories/${dialog.category.id}`, { parentId });
      message.success(t('tickets.admin.saved'));
      setDialog(null);
      await load();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const handleToggle = async (c: Category) => {
    try {
      await api.patch(`/api/tickets/categories/${c.id}`, { active: !c.active });
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<CategoryNode> = [
    {
      title: t('tickets.admin.categoryName'),
      dataIndex: 'name',
      render: (name: string, c) => <span data-testid={`category-name-${c.name}`}>{name}</span>,
    },
    {
      title: t('tickets.admin.state'),
      dataIndex: 'active',
      width: 120,
      render: (active: boolean, c) => (
        <Tag color={active ? 'green' : 'default'} data-testid={`category-state-${c.name}`}>
          {active ? t('tickets.admin.active') : t('tickets.admin.disabled')}
        </Tag>
      ),
    },
    {
      title: t('tickets.admin.actions'),
      key: 'actions',
      width: 280,
      render: (_: unknown, c) => (
        <Space size="small">
          <Button
            size="small"
            onClick={() => open({ kind: 'rename', category: c })}
            data-testid={`category-rename-${c.name}`}
          >
            {t('tickets.admin.rename')}
          </Button>
          <Button
            size="small"
            onClick={() => open({ kind: 'move', category: c })}
            data-testid={`category-move-${c.name}`}
          >
            {t('tickets.admin.move')}
          </Button>
          <Button
            size="small"
            danger={c.active}
            onClick={() => void handleToggle(c)}
            data-testid={`category-toggle-${c.name}`}
          >
            {c.active ? t('tickets.admin.disable') : t('tickets.admin.enable')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => open({ kind: 'create' })}
        data-testid="category-add"
      >
        {t('tickets.admin.addCategory')}
      </Button>
      <Table<CategoryNode>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        key={items.length}
        data-testid="category-table"
      />
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'create'
            ? t('tickets.admin.addCategory')
            : dialog?.kind === 'rename'
              ? t('tickets.admin.rename')
              : t('tickets.admin.move')
        }
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving, ...{ 'data-testid': 'category-dialog-ok' } }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void handleSubmit(v)}>
          {dialog?.kind !== 'move' && (
            <Form.Item
              name="name"
              label={t('tickets.admin.categoryName')}
              rules={[
                { required: true, whitespace: true, message: t('tickets.admin.nameRequired') },
              ]}
            >
              <Input maxLength={100} data-testid="category-dialog-name" />
            </Form.Item>
          )}
          {dialog?.kind !== 'rename' && (
            <Form.Item name="parentId" label={t('tickets.admin.parent')}>
              <Select
                options={parentOptions}
                showSearch
                optionFilterProp="label"
                data-testid="category-dialog-parent"
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

function SettingsPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const errorText = useErrorText();
  const canReadAlerts = useCan('alerts.read');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [services, setServices] = useState<{ id: string; name: string }[]>([]);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<SettingsForm>();

  const load = useCallback(async () => {
    try {
      const s = await api.get<Settings>('/api/tickets/settings');
      setSettings(s);
      form.setFieldsValue({ ...s, cells: s.priorityMatrix.cells });
      if (canReadAlerts)
        setServices(
          (await api.get<{ items: { id: string; name: string }[] }>('/api/alerts/services')).items,
        );
    } catch (err) {
      showError(err);
    }
  }, [showError, form, canReadAlerts]);
  useEffect(() => {
    void load();
  }, [load]);

  const handleSave = async (values: SettingsForm) => {
    if (!settings) return;
    setSaving(true);
    const changes: [string, unknown][] = [];
    const matrix = { ...settings.priorityMatrix, cells: values.cells };
    if (JSON.stringify(matrix) !== JSON.stringify(settings.priorityMatrix))
      changes.push(['priorityMatrix', matrix]);
    for (const key of ['autoCloseDays', 'slaWarnPercent', 'dispatchStrategy'] as const)
      if (values[key] !== settings[key]) changes.push([key, values[key]]);
    const service = values.slaAlertServiceId ?? null;
    if (service !== settings.slaAlertServiceId) changes.push(['slaAlertServiceId', service]);
    try {
      for (const [key, value] of changes) {
        try {
          await api.put(`/api/tickets/settings/${key}`, { value });
        } catch (err) {
          // The server names `value` (or `value.<cell>`): the refusal belongs to this setting.
          form.setFields([
            {
              name: (key === 'priorityMatrix' ? 'cells' : key) as keyof SettingsForm,
              errors: [errorText(err)],
            },
          ]);
          throw err;
        }
      }
      message.success(t('tickets.admin.saved'));
      await load();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  if (!settings) return null;
  const m = settings.priorityMatrix;
  const priorities = ['P1', 'P2', 'P3', 'P4'].map((p) => ({ value: p, label: p }));
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => void handleSave(v)}
      style={{ maxWidth: 640 }}
    >
      <Form.Item name="autoCloseDays" label={t('tickets.admin.autoCloseDays')}>
        <InputNumber min={1} max={365} data-testid="setting-autoCloseDays" />
      </Form.Item>
      <Form.Item name="slaWarnPercent" label={t('tickets.admin.slaWarnPercent')}>
        <InputNumber min={1} max={99} addonAfter="%" data-testid="setting-slaWarnPercent" />
      </Form.Item>
      <Form.Item name="dispatchStrategy" label={t('tickets.admin.dispatchStrategy')}>
        <Select
          data-testid="setting-dispatchStrategy"
          options={['least_loaded', 'round_robin'].map((v) => ({
            value: v,
            label: t(`tickets.admin.strategy.${v}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="slaAlertServiceId"
        label={t('tickets.admin.slaAlertService')}
        extra={t('tickets.admin.slaAlertServiceHelp')}
      >
        <Select
          allowClear
          data-testid="setting-slaAlertServiceId"
          options={services.map((s) => ({ value: s.id, label: s.name }))}
        />
      </Form.Item>
      <Typography.Title level={5}>{t('tickets.admin.priorityMatrix')}</Typography.Title>
      <table data-testid="setting-priorityMatrix" style={{ marginBottom: 16 }}>
        <thead>
          <tr>
            <th>{t('tickets.admin.impactUrgency')}</th>
            {m.urgencies.map((u) => (
              <th key={u}>{t(`tickets.levelsIU.${u}`, u)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.impacts.map((i) => (
            <tr key={i}>
              <th>{t(`tickets.levelsIU.${i}`, i)}</th>
              {m.urgencies.map((u) => (
                <td key={u}>
                  <Form.Item name={['cells', i, u]} noStyle>
                    <Select
                      options={priorities}
                      style={{ width: 80 }}
                      data-testid={`matrix-${i}-${u}`}
                    />
                  </Form.Item>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
        {t('tickets.admin.save')}
      </Button>
    </Form>
  );
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
interface CalendarSetting {
  calendar:
    | { kind: '24x7' }
    | {
        kind: 'hours';
        zone: string;
        weekly: Partial<Record<(typeof WEEKDAYS)[number], string[]>>;
        holidays?: string[];
        workdays?: { date: string; as?: number }[];
      };
  holidays?: 'cn-2026';
}
interface CalendarForm {
  kind: '24x7' | 'hours';
  zone: string;
  weekly: Record<string, string>;
  holidays: string;
  workdays: string;
  cn2026: boolean;
}

const lines = (text: string) =>
  text
    .split(/[\n,，]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Form values → the `calendar:<teamId>` setting the server validates (it names bad fields). */
function toCalendarSetting(v: CalendarForm): CalendarSetting {
  const calendar: CalendarSetting['calendar'] =
    v.kind === '24x7'
      ? { kind: '24x7' }
      : {
          kind: 'hours',
          zone: v.zone,
          weekly: Object.fromEntries(
            WEEKDAYS.map((d) => [d, lines(v.weekly[d] ?? '')] as const).filter(
              ([, r]) => r.length > 0,
            ),
          ),
          holidays: lines(v.holidays),
          workdays: lines(v.workdays).map((l) => {
            const [date, as] = l.split(/\s+/);
            return as ? { date: date!, as: Number(as) } : { date: date! };
          }),
        };
  return v.cn2026 ? { calendar, holidays: 'cn-2026' } : { calendar };
}

function toCalendarForm(s: CalendarSetting | undefined, zone: string): CalendarForm {
  const c = s?.calendar;
  const hours = c && c.kind === 'hours' ? c : undefined;
  return {
    kind: c?.kind ?? '24x7',
    zone: hours?.zone ?? zone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, (hours?.weekly[d] ?? []).join(', ')])),
    holidays: (hours?.holidays ?? []).join('\n'),
    workdays: (hours?.workdays ?? []).map((w) => (w.as ? `${w.date} ${w.as}` : w.date)).join('\n'),
    cn2026: s?.holidays === 'cn-2026',
  };
}

function CalendarsPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [teams, setTeams] = useState<Team[]>([]);
  const [calendars, setCalendars] = useState<Record<string, CalendarSetting>>({});
  const [teamId, setTeamId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<CalendarForm>();
  const kind = Form.useWatch('kind', form);

  const load = useCallback(async () => {
    try {
      const [ts, s] = await Promise.all([
        api.get<{ items: Team[] }>('/api/teams'),
        api.get<{ calendars: Record<string, CalendarSetting> }>('/api/tickets/settings'),
      ]);
      setTeams(ts.items);
      setCalendars(s.calendars);
    } catch (err) {
      showError(err);
    }
  }, [showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const handleTeam = (id: string) => {
    setTeamId(id);
    const team = teams.find((x) => x.id === id);
    form.setFieldsValue(toCalendarForm(calendars[id], team?.timeZone ?? 'Asia/Shanghai'));
  };

  const handleSave = async (v: CalendarForm) => {
    if (!teamId) return;
    setSaving(true);
    try {
      await api.put(`/api/tickets/settings/calendar:${teamId}`, { value: toCalendarSetting(v) });
      message.success(t('tickets.admin.saved'));
      await load();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 640 }}>
      <Select
        placeholder={t('tickets.admin.calendarTeam')}
        style={{ width: 320 }}
        value={teamId}
        onChange={handleTeam}
        options={teams.map((x) => ({ value: x.id, label: x.name }))}
        data-testid="calendar-team"
      />
      {teamId && (
        <Form form={form} layout="vertical" onFinish={(v) => void handleSave(v)}>
          <Form.Item name="kind" label={t('tickets.admin.calendarKind')}>
            <Select
              data-testid="calendar-kind"
              options={[
                { value: '24x7', label: t('tickets.admin.calendar24x7') },
                { value: 'hours', label: t('tickets.admin.calendarHours') },
              ]}
            />
          </Form.Item>
          {kind === 'hours' && (
            <>
              <Form.Item name="zone" label={t('tickets.admin.calendarZone')}>
                <Input data-testid="calendar-zone" />
              </Form.Item>
              {WEEKDAYS.map((d) => (
                <Form.Item
                  key={d}
                  name={['weekly', d]}
                  label={t(`tickets.admin.weekday.${d}`)}
                  extra={d === 'mon' ? t('tickets.admin.calendarHoursHelp') : undefined}
                >
                  <Input placeholder="09:00-12:00, 13:30-18:00" data-testid={`calendar-${d}`} />
                </Form.Item>
              ))}
              <Form.Item
                name="holidays"
                label={t('tickets.admin.calendarHolidays')}
                extra={t('tickets.admin.calendarDatesHelp')}
              >
                <Input.TextArea rows={3} data-testid="calendar-holidays" />
              </Form.Item>
              <Form.Item
                name="workdays"
                label={t('tickets.admin.calendarWorkdays')}
                extra={t('tickets.admin.calendarWorkdaysHelp')}
              >
                <Input.TextArea rows={2} data-testid="calendar-workdays" />
              </Form.Item>
              <Form.Item name="cn2026" valuePropName="checked">
                <Checkbox data-testid="calendar-cn2026">
                  {t('tickets.admin.calendarCn2026')}
                </Checkbox>
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" loading={saving} data-testid="calendar-save">
            {t('tickets.admin.save')}
          </Button>
        </Form>
      )}
    </Space>
  );
}

const TICKET_TYPES = ['fault', 'request', 'consultation', 'complaint'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const TARGETS = ['firstResponse', 'nextUpdate', 'resolution'] as const;
interface SlaPolicy {
  id: string;
  name: string;
  match: { type?: string; priority?: string; customerId?: string };
  targets: Partial<Record<(typeof TARGETS)[number], number>>;
  warnAtPercent: number;
  pauseStatuses: string[] | null;
  escalateOnBreach: boolean;
  calendarTeamId: string | null;
  active: boolean;
}
type SlaPolicyForm = Omit<SlaPolicy, 'id' | 'active' | 'pauseStatuses'>;

/** Form values → the body the server validates; empty match fields and targets are left out. */
function toPolicyBody(v: SlaPolicyForm, active: boolean) {
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(
      Object.entries(o).filter(([, x]) => x !== undefined && x !== null && x !== ''),
    );
  return {
    name: v.name,
    match: defined({ ...v.match, customerId: v.match.customerId?.trim() }),
    targets: defined(v.targets),
    warnAtPercent: v.warnAtPercent,
    escalateOnBreach: v.escalateOnBreach,
    calendarTeamId: v.calendarTeamId ?? null,
    active,
  };
}

function SlaPoliciesPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [items, setItems] = useState<SlaPolicy[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<SlaPolicyForm>();

  const load = useCallback(async () => {
    try {
      const [ps, ts] = await Promise.all([
        api.get<{ items: SlaPolicy[] }>('/api/tickets/sla-policies'),
        api.get<{ items: Team[] }>('/api/teams'),
      ]);
      setItems(ps.items);
      setTeams(ts.items);
    } catch (err) {
      showError(err);
    }
  }, [showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (p: SlaPolicy | 'new') => {
    form.resetFields();
    form.setFieldsValue(
      p === 'new'
        ? { match: {}, targets: {}, warnAtPercent: 80, escalateOnBreach: true }
        : {
            name: p.name,
            match: p.match,
            targets: p.targets,
            warnAtPercent: p.warnAtPercent,
            escalateOnBreach: p.escalateOnBreach,
            calendarTeamId: p.calendarTeamId,
          },
    );
    setEditing(p);
  };

  const handleSubmit = async (v: SlaPolicyForm) => {
    if (!editing) return;
    setSaving(true);
    try {
      if (editing === 'new') {
        const { active: _active, ...body } = toPolicyBody(v, true);
        await api.post('/api/tickets/sla-policies', body);
      } else
        // The page does not edit paused statuses: keep the stored ones.
        await api.put(`/api/tickets/sla-policies/${editing.id}`, {
          ...toPolicyBody(v, editing.active),
          ...(editing.pauseStatuses ? { pauseStatuses: editing.pauseStatuses } : {}),
        });
      message.success(t('tickets.admin.saved'));
      setEditing(null);
      await load();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const handleToggle = async (p: SlaPolicy) => {
    try {
      if (p.active) await api.delete(`/api/tickets/sla-policies/${p.id}`);
      else
        await api.put(`/api/tickets/sla-policies/${p.id}`, {
          ...toPolicyBody(p, true),
          ...(p.pauseStatuses ? { pauseStatuses: p.pauseStatuses } : {}),
        });
      await load();
    } catch (err) {
      showError(err);
    }
  };

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
          p.match.customerId ?? any,
        ].join(' / '),
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
    {
      title: t('tickets.admin.state'),
      dataIndex: 'active',
      width: 100,
      render: (active: boolean, p) => (
        <Tag color={active ? 'green' : 'default'} data-testid={`sla-state-${p.name}`}>
          {active ? t('tickets.admin.active') : t('tickets.admin.disabled')}
        </Tag>
      ),
    },
    {
      title: t('tickets.admin.actions'),
      key: 'actions',
      width: 180,
      render: (_: unknown, p) => (
        <Space size="small">
          <Button size="small" onClick={() => open(p)} data-testid={`sla-edit-${p.name}`}>
            {t('tickets.admin.sla.edit')}
          </Button>
          <Button
            size="small"
            danger={p.active}
            onClick={() => void handleToggle(p)}
            data-testid={`sla-toggle-${p.name}`}
          >
            {p.active ? t('tickets.admin.disable') : t('tickets.admin.enable')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('tickets.admin.sla.help')}</Typography.Text>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => open('new')}
        data-testid="sla-add"
      >
        {t('tickets.admin.sla.add')}
      </Button>
      <Table<SlaPolicy>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        pagination={false}
        data-testid="sla-table"
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('tickets.admin.sla.add') : t('tickets.admin.sla.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving, ...{ 'data-testid': 'sla-dialog-ok' } }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void handleSubmit(v)}>
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
              <Input placeholder={any} style={{ width: 200 }} data-testid="sla-dialog-customer" />
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
          <Form.Item name="warnAtPercent" label={t('tickets.admin.sla.warnAtPercent')}>
            <InputNumber min={1} max={99} addonAfter="%" data-testid="sla-dialog-warnAtPercent" />
          </Form.Item>
          <Form.Item name="escalateOnBreach" valuePropName="checked">
            <Checkbox data-testid="sla-dialog-escalate">
              {t('tickets.admin.sla.escalateOnBreachLong')}
            </Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Ticket administration for admins and duty managers: the category tree and desk settings. */
export default function TicketAdminPage() {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle} style={{ marginTop: 0 }}>
        {t('tickets.admin.title')}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'categories',
            label: t('tickets.admin.categories'),
            children: <CategoriesPanel />,
          },
          { key: 'settings', label: t('tickets.admin.settings'), children: <SettingsPanel /> },
          {
            key: 'sla',
            label: t('tickets.admin.sla.title'),
            children: <SlaPoliciesPanel />,
          },
          {
            key: 'calendars',
            label: t('tickets.admin.calendars'),
            children: <CalendarsPanel />,
          },
        ]}
      />
    </Space>
  );
}
