import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
  theme,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import { CalendarFeedsCard } from './CalendarFeedsCard';
import { formatInZone, monthWeeks, shiftMonth } from './rosterModel';
import type { LeaveItem, MyShift, RosterView, SwapItem } from './rosterTypes';
import { MyShiftRequests } from './MyShiftRequests';
import { SwapCheck } from './SwapCheck';

const H = 3_600_000;

/** Ask someone to take (substitution) or trade (swap) one of my shifts. */
function SwapRequestDialog({
  shift,
  onClose,
  onDone,
}: {
  shift: MyShift | null;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const showError = useApiErrors();
  const [form] = Form.useForm<{
    kind: 'substitution' | 'swap';
    substituteId?: string;
    counterAssignmentId?: string;
    reason: string;
  }>();
  const kind = Form.useWatch('kind', form);
  const substituteId = Form.useWatch('substituteId', form);
  useEffect(() => {
    if (!shift) return;
    form.resetFields();
    form.setFieldsValue({ kind: 'substitution', reason: '' });
  }, [shift, form]);
  const { data: view } = useLoad(
    async (signal) =>
      shift
        ? api.get<RosterView>(`/api/roster/rosters/${shift.rosterId}`, undefined, { signal })
        : null,
    [shift],
  );
  const today = dayjs().format('YYYY-MM-DD');
  const codeOf = (id: string) => view?.shiftTypes.find((s) => s.id === id)?.code ?? '?';
  const handleSubmit = async (v: {
    kind: 'substitution' | 'swap';
    substituteId?: string;
    counterAssignmentId?: string;
    reason: string;
  }) => {
    if (!shift) return;
    try {
      await api.post('/api/roster/swaps', {
        kind: v.kind,
        assignmentId: shift.assignmentId,
        substituteId: v.substituteId ?? '',
        ...(v.kind === 'swap' ? { counterAssignmentId: v.counterAssignmentId ?? '' } : {}),
        reason: v.reason ?? '',
      });
      await onDone();
    } catch (err) {
      showError(err, form);
    }
  };
  return (
    <Modal
      open={shift !== null}
      title={t('roster.my.requestSwap')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('roster.my.submit')}
      okButtonProps={{ 'data-testid': 'swap-submit' }}
      forceRender
    >
      {shift && (
        <Typography.Paragraph>
          {shift.date} · {shift.shift.name} · {shift.post.name}
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item name="kind" label={t('roster.my.kind')}>
          <Radio.Group
            options={(['substitution', 'swap'] as const).map((k) => ({
              value: k,
              label: t(`roster.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="substituteId" label={t('roster.my.substitute')}>
          <Select
            data-testid="swap-substitute"
            options={(view?.people ?? [])
              .filter((p) => p.id !== me.id)
              .map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        {kind === 'swap' && (
          <Form.Item
            name="counterAssignmentId"
            label={t('roster.my.counter')}
            extra={t('roster.my.counterHint')}
          >
            <Select
              options={(view?.assignments ?? [])
                .filter((a) => a.personId === substituteId && a.date >= today)
                .map((a) => ({ value: a.id, label: `${a.date} ${codeOf(a.shiftTypeId)}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('roster.my.reason')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Ask for leave or mark days unavailable. */
function LeaveRequestDialog({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const { t } = useTranslation();
  const showError = useApiErrors();
  const [form] = Form.useForm<{
    kind: 'leave' | 'unavailable';
    dates?: [Dayjs, Dayjs];
    reason: string;
  }>();
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ kind: 'leave', reason: '' });
    }
  }, [open, form]);
  const handleSubmit = async (v: {
    kind: 'leave' | 'unavailable';
    dates?: [Dayjs, Dayjs];
    reason: string;
  }) => {
    try {
      await api.post('/api/roster/leave', {
        kind: v.kind,
        startDate: v.dates?.[0]?.format('YYYY-MM-DD') ?? '',
        endDate: v.dates?.[1]?.format('YYYY-MM-DD') ?? '',
        reason: v.reason ?? '',
      });
      await onDone();
    } catch (err) {
      // startDate and endDate are one field on this form.
      if (err instanceof ApiError && (err.field === 'startDate' || err.field === 'endDate')) {
        form.setFields([{ name: 'dates', errors: [err.message] }]);
      } else {
        showError(err, form);
      }
    }
  };
  return (
    <Modal
      open={open}
      title={t('roster.my.requestLeave')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('roster.my.submit')}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item name="kind" label={t('roster.my.kind')}>
          <Radio.Group
            options={(['leave', 'unavailable'] as const).map((k) => ({
              value: k,
              label: t(`roster.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="dates" label={t('roster.my.dates')}>
          <DatePicker.RangePicker style={{ width: '100%' }} inputReadOnly />
        </Form.Item>
        <Form.Item name="reason" label={t('roster.my.reason')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * A person's month: a calendar of their published shifts (tap a day for its shifts), confirming
 * a newly published roster, checking in and out (big buttons for a phone), and their swap and
 * leave requests, including requests to stand in for someone.
 */
export default function MyShiftsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const showError = useApiErrors();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const [selected, setSelected] = useState(dayjs().format('YYYY-MM-DD'));
  const [swapFor, setSwapFor] = useState<MyShift | null>(null);
  const [leaveOpen, setLeaveOpen] = useState(false);

  const {
    data: { items, requests, now },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const weeks = monthWeeks(month)
        .flat()
        .filter((d): d is string => d !== null);
      const [shifts, reqs] = await Promise.all([
        api.get<{ items: MyShift[] }>(
          '/api/roster/me/shifts',
          { from: weeks[0], to: weeks[weeks.length - 1] },
          { signal },
        ),
        api.get<{ swaps: SwapItem[]; leave: LeaveItem[] }>('/api/roster/me/requests', undefined, {
          signal,
        }),
      ]);
      // `now` is when the list was read: what "already started" means for its rows.
      return { items: shifts.items, requests: reqs, now: Date.now() };
    },
    [month],
    { initial: { items: [], requests: { swaps: [], leave: [] }, now: Date.now() } },
  );

  const act = async (path: string, done = t('roster.my.done')) => {
    try {
      await api.post(path, {});
      void message.success(done);
    } catch (err) {
      showError(err);
    }
    await load();
  };

  const byDate = useMemo(() => {
    const m = new Map<string, MyShift[]>();
    for (const s of items) m.set(s.date, [...(m.get(s.date) ?? []), s]);
    return m;
  }, [items]);
  const unconfirmed = useMemo(() => {
    const m = new Map<string, MyShift['period']>();
    for (const s of items) if (!s.confirmedAt) m.set(s.rosterId, s.period);
    return [...m];
  }, [items]);
  const today = dayjs().format('YYYY-MM-DD');
  const dayShifts = byDate.get(selected) ?? [];
  const incoming = requests.swaps.filter(
    (s) => s.substituteId === me.id && s.status === 'pending_substitute',
  );
  const mine = [
    ...requests.swaps
      .filter((s) => s.requesterId === me.id)
      .map((s) => ({
        key: s.id,
        text: `${t(`roster.kinds.${s.kind}`)} ${s.date ?? ''} → ${s.substituteName}`,
        status: t(`roster.swapStatus.${s.status}`),
        withdraw: ['pending_substitute', 'pending_approval'].includes(s.status)
          ? `/api/roster/swaps/${s.id}/withdraw`
          : null,
      })),
    ...requests.leave.map((l) => ({
      key: l.id,
      text: `${t(`roster.kinds.${l.kind}`)} ${l.startDate} – ${l.endDate}`,
      status: t(`roster.leaveStatus.${l.status}`),
      withdraw: null,
    })),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.my.title')}
      </Typography.Title>
      {unconfirmed.map(([rosterId, period]) => (
        <Button
          key={rosterId}
          type="primary"
          size="large"
          block
          data-testid="my-confirm"
          onClick={() => void act(`/api/roster/rosters/${rosterId}/confirm`)}
        >
          {t('roster.my.confirm', { period: `${period.start} – ${period.end}` })}
        </Button>
      ))}
      <Card size="small" styles={{ body: { padding: 8 } }}>
        <div style={{ display: 'flex', alignItems: 'center', marginBottom: 8 }}>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('roster.my.prev')}
            onClick={() => setMonth(shiftMonth(month, -1))}
            data-testid="my-prev"
          />
          <Typography.Text strong style={{ flex: 1, textAlign: 'center' }} data-testid="my-month">
            {month}
          </Typography.Text>
          <Button
            size="small"
            style={{ marginRight: 8 }}
            onClick={() => {
              setMonth(dayjs().format('YYYY-MM'));
              setSelected(today);
            }}
          >
            {t('roster.my.today')}
          </Button>
          <Button
            icon={<RightOutlined />}
            aria-label={t('roster.my.next')}
            onClick={() => setMonth(shiftMonth(month, 1))}
            data-testid="my-next"
          />
        </div>
        <div
          data-testid="my-calendar"
          style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 2 }}
        >
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <div
              key={d}
              style={{ textAlign: 'center', fontSize: 12, color: token.colorTextSecondary }}
            >
              {t(`roster.weekdays.${d}`)}
            </div>
          ))}
          {monthWeeks(month)
            .flat()
            .map((date, i) => {
              if (!date) return <div key={`pad-${i}`} />;
              const shifts = byDate.get(date) ?? [];
              const isSel = date === selected;
              return (
                <button
                  key={date}
                  type="button"
                  data-testid={`my-day-${date}`}
                  aria-pressed={isSel}
                  onClick={() => setSelected(date)}
                  style={{
                    minHeight: 56,
                    padding: 2,
                    border: `1px solid ${isSel ? token.colorPrimary : token.colorBorderSecondary}`,
                    borderRadius: 6,
                    background: date === today ? token.colorPrimaryBg : token.colorBgContainer,
                    cursor: 'pointer',
                    display: 'flex',
                    flexDirection: 'column',
                    alignItems: 'center',
                    gap: 2,
                    overflow: 'hidden',
                  }}
                >
                  <span style={{ fontSize: 12 }}>{+date.slice(8)}</span>
                  {shifts.map((s) => (
                    <span
                      key={s.assignmentId}
                      style={{
                        background: s.shift.colour,
                        borderRadius: 3,
                        padding: '0 4px',
                        fontSize: 11,
                        maxWidth: '100%',
                        overflow: 'hidden',
                        whiteSpace: 'nowrap',
                      }}
                    >
                      {s.shift.code}
                      {s.attendance?.checkInAt ? ' ✓' : ''}
                    </span>
                  ))}
                </button>
              );
            })}
        </div>
        {!loading && items.length === 0 && (
          <Typography.Text type="secondary">{t('roster.my.monthEmpty')}</Typography.Text>
        )}
      </Card>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {selected}
      </Typography.Title>
      {dayShifts.length === 0 && <Empty description={t('roster.my.dayEmpty')} />}
      {dayShifts.map((s) => {
        const a = s.attendance;
        const time = (ms: number) => formatInZone(ms, s.timeZone);
        const open = now >= s.startMs - 2 * H && now <= s.endMs;
        return (
          <Card key={s.assignmentId} size="small" data-testid="my-shift">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Tag color={s.shift.colour}>{s.shift.code}</Tag>
                <Typography.Text strong>
                  {s.shift.name} · {s.post.name}
                </Typography.Text>
                {s.confirmedAt && <Tag color="green">{t('roster.my.confirmed')}</Tag>}
              </Space>
              <Typography.Text>
                {time(s.startMs)} – {time(s.endMs)}
              </Typography.Text>
              {a && (
                <Typography.Text
                  type={a.arrival === 'late' ? 'warning' : undefined}
                  data-testid="my-attendance"
                >
                  {a.checkInAt ? t('roster.my.checkedIn', { time: time(a.checkInAt) }) : ''}{' '}
                  {t(`roster.my.arrival.${a.arrival}`, { minutes: a.lateMinutes })}
                  {a.checkOutAt
                    ? ` · ${t('roster.my.checkedOut', { time: time(a.checkOutAt) })}`
                    : ''}
                </Typography.Text>
              )}
              {open && !a?.checkInAt && (
                <Button
                  size="large"
                  type="primary"
                  block
                  data-testid="my-check-in"
                  onClick={() => void act(`/api/roster/assignments/${s.assignmentId}/check-in`)}
                >
                  {t('roster.my.checkIn')}
                </Button>
              )}
              {a?.checkInAt && !a.checkOutAt && (
                <Button
                  size="large"
                  block
                  data-testid="my-check-out"
                  onClick={() => void act(`/api/roster/assignments/${s.assignmentId}/check-out`)}
                >
                  {t('roster.my.checkOut')}
                </Button>
              )}
              {s.startMs > now && (
                <Button type="link" style={{ padding: 0 }} onClick={() => setSwapFor(s)}>
                  {t('roster.my.requestSwap')}
                </Button>
              )}
            </Space>
          </Card>
        );
      })}
      <Button onClick={() => setLeaveOpen(true)} data-testid="my-request-leave">
        {t('roster.my.requestLeave')}
      </Button>
      {incoming.length > 0 && (
        <Card size="small" title={t('roster.my.incoming')}>
          <List
            dataSource={incoming}
            renderItem={(s) => (
              <List.Item
                actions={[
                  <Button
                    key="a"
                    type="primary"
                    onClick={() => void act(`/api/roster/swaps/${s.id}/accept`)}
                  >
                    {t('roster.my.accept')}
                  </Button>,
                  <Button key="d" onClick={() => void act(`/api/roster/swaps/${s.id}/decline`)}>
                    {t('roster.my.decline')}
                  </Button>,
                ]}
              >
                <Space direction="vertical" size={2}>
                  <span>
                    {s.requesterName} · {s.date} · {t(`roster.kinds.${s.kind}`)}
                    {s.reason ? ` · ${s.reason}` : ''}
                  </span>
                  <SwapCheck id={s.id} />
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('roster.my.myRequests')}>
        <List
          dataSource={mine}
          locale={{ emptyText: t('roster.my.noRequests') }}
          renderItem={(r) => (
            <List.Item
              actions={
                r.withdraw
                  ? [
                      <Button key="w" size="small" onClick={() => void act(r.withdraw!)}>
                        {t('roster.my.withdraw')}
                      </Button>,
                    ]
                  : []
              }
            >
              {r.text} · <Tag>{r.status}</Tag>
            </List.Item>
          )}
        />
      </Card>
      <CalendarFeedsCard />
      <SwapRequestDialog
        shift={swapFor}
        onClose={() => setSwapFor(null)}
        onDone={async () => {
          setSwapFor(null);
          void message.success(t('roster.my.submitted'));
          await load();
        }}
      />
      <MyShiftRequests />
      <LeaveRequestDialog
        open={leaveOpen}
        onClose={() => setLeaveOpen(false)}
        onDone={async () => {
          setLeaveOpen(false);
          void message.success(t('roster.my.submitted'));
          await load();
        }}
      />
    </Space>
  );
}
