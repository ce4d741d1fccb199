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
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { useCan } from '../../auth/AuthContext';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import { formatInZone, instantOfWallTime, wallTimeOf } from './rosterModel';
import type { RosterSetup } from './rosterTypes';
import { useRosterSetup, useTeamChoice } from './useTeamChoice';

interface Segment {
  personId: string;
  postId: string;
  startMs: number;
  endMs: number;
  source: 'assignment' | 'override';
}

interface OverrideForm {
  postId?: string;
  personId?: string;
  replacesPersonId?: string;
  range?: [Dayjs, Dayjs];
  reason: string;
}

/** The duty manager's emergency override: no lead time, a reason, audited and notified. */
function OverrideDialog({
  open,
  setup,
  onDuty,
  atMs,
  onClose,
  onDone,
}: {
  open: boolean;
  setup: RosterSetup | null;
  onDuty: Segment[];
  /** The instant the page shows; the dialog's times are the team's wall times. */
  atMs: number;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const { t } = useTranslation();
  const showError = useApiErrors();
  const [form] = Form.useForm<OverrideForm>();
  const postId = Form.useWatch('postId', form);
  const zone = setup?.team.timeZone ?? 'UTC';
  useEffect(() => {
    if (!open) return;
    const start = dayjs(wallTimeOf(atMs, zone));
    form.resetFields();
    form.setFieldsValue({
      reason: '',
      range: [start, start.add(8, 'hour')],
      ...(setup?.posts[0] ? { postId: setup.posts[0].id } : {}),
    });
  }, [open, form, atMs, zone, setup]);
  const instant = (d: Dayjs | undefined) =>
    d ? instantOfWallTime(d.format('YYYY-MM-DDTHH:mm'), zone) : 0;
  const people = setup?.people ?? [];
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
  const handleSubmit = async (v: OverrideForm) => {
    try {
      await api.post('/api/roster/overrides', {
        postId: v.postId ?? '',
        personId: v.personId ?? '',
        ...(v.replacesPersonId ? { replacesPersonId: v.replacesPersonId } : {}),
        startMs: instant(v.range?.[0]),
        endMs: instant(v.range?.[1]),
        reason: v.reason ?? '',
      });
      await onDone();
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'startMs' || err.field === 'endMs')) {
        form.setFields([{ name: 'range', errors: [err.message] }]);
      } else {
        showError(err, form);
      }
    }
  };
  return (
    <Modal
      open={open}
      title={t('roster.onDuty.override')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('roster.onDuty.overrideSubmit')}
      okButtonProps={{ 'data-testid': 'override-submit', danger: true }}
      forceRender
    >
      <Typography.Paragraph type="secondary">
        {t('roster.onDuty.overrideHint')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item name="postId" label={t('roster.onDuty.post')}>
          <Select
            data-testid="override-post"
            options={(setup?.posts ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="personId" label={t('roster.onDuty.person')}>
          <Select
            data-testid="override-person"
            showSearch
            optionFilterProp="label"
            options={people.map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="replacesPersonId" label={t('roster.onDuty.replaces')}>
          <Select
            allowClear
            data-testid="override-replaces"
            placeholder={t('roster.onDuty.replacesNone')}
            options={[
              ...new Set(
                onDuty.filter((s) => !postId || s.postId === postId).map((s) => s.personId),
              ),
            ].map((id) => ({ value: id, label: nameOf(id) }))}
          />
        </Form.Item>
        <Form.Item name="range" label={t('roster.onDuty.range')}>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            inputReadOnly
          />
        </Form.Item>
        <Form.Item name="reason" label={t('roster.onDuty.reason')}>
          <Input.TextArea data-testid="override-reason" maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Who is on duty now (or at a chosen time), per post of a team: the page a technician opens at
 * 3 a.m. to find whom to call. The duty manager can put someone on duty at once from here.
 */
export default function OnDutyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canOverride = useCan('roster.override');
  const { teams, teamId, setTeamId } = useTeamChoice();
  const [atMs, setAtMs] = useState(() => Date.now());
  const [overrideOpen, setOverrideOpen] = useState(false);

  // Names and the team's zone; kept from the team before until the next team's arrive.
  const { data: setup } = useRosterSetup(teamId);
  // undefined until the first answer: "nobody on duty" is said only once the server said it.
  const { data: onDuty, reload: load } = useLoad(
    async (signal) =>
      teamId
        ? api.get<{ segments: Segment[] }>('/api/roster/on-duty', { teamId, at: atMs }, { signal })
        : undefined,
    [teamId, atMs],
  );
  const loaded = onDuty !== undefined;
  const segments = onDuty?.segments ?? [];

  const zone = setup?.team.timeZone ?? 'UTC';
  const nameOf = (id: string) => setup?.people.find((p) => p.id === id)?.name ?? id;
  const time = (ms: number) => formatInZone(ms, zone);

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.onDuty.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 160 }}
          value={teamId}
          onChange={setTeamId}
          placeholder={t('roster.month.team')}
          data-testid="onduty-team"
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={dayjs(wallTimeOf(atMs, zone))}
          allowClear={false}
          inputReadOnly
          onChange={(v) => v && setAtMs(instantOfWallTime(v.format('YYYY-MM-DDTHH:mm'), zone))}
          data-testid="onduty-at"
        />
        <Button onClick={() => setAtMs(Date.now())} data-testid="onduty-now">
          {t('roster.onDuty.now')}
        </Button>
        {canOverride && (
          <Button danger onClick={() => setOverrideOpen(true)} data-testid="override-open">
            {t('roster.onDuty.override')}
          </Button>
        )}
      </Space>
      {setup && (
        <Typography.Text type="secondary">{t('roster.onDuty.zone', { zone })}</Typography.Text>
      )}
      {setup && setup.posts.length === 0 && <Empty description={t('roster.onDuty.noPosts')} />}
      {(setup?.posts ?? []).map((post) => {
        const here = segments
          .filter((s) => s.postId === post.id)
          .sort((x, y) => x.startMs - y.startMs);
        return (
          <Card
            key={post.id}
            size="small"
            title={post.name}
            data-testid={`onduty-post-${post.name}`}
          >
            {loaded && here.length === 0 ? (
              <Typography.Text type="danger">{t('roster.onDuty.nobody')}</Typography.Text>
            ) : (
              <List
                dataSource={here}
                renderItem={(s) => (
                  <List.Item>
                    <Space wrap>
                      <Typography.Text strong style={{ fontSize: 16 }}>
                        {nameOf(s.personId)}
                      </Typography.Text>
                      <Typography.Text>
                        {time(s.startMs)} – {time(s.endMs)}
                      </Typography.Text>
                      {s.source === 'override' && (
                        <Tag color="red">{t('roster.onDuty.overrideTag')}</Tag>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        );
      })}
      <OverrideDialog
        open={overrideOpen}
        setup={setup}
        onDuty={segments}
        atMs={atMs}
        onClose={() => setOverrideOpen(false)}
        onDone={async () => {
          setOverrideOpen(false);
          void message.success(t('roster.onDuty.overrideDone'));
          await load();
        }}
      />
    </Space>
  );
}
