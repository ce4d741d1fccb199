import { ArrowLeftOutlined, RiseOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tabs,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useCan, useMe } from '../../auth/AuthContext';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { TID } from '../../testids';
import {
  AttachmentsCard,
  PriorityTag,
  SlaClocks,
  StatusTag,
  TicketTimeline,
  isTicketMissing,
  useTicketCategories,
  useDirectory,
} from './TicketParts';
import { NOTE_REQUIRED, type UiAction, allowedActions, canEscalate } from './ticketModel';
import type { TicketDetail } from './ticketTypes';
import { useTicketsLive } from './useTicketsLive';
import type { UploadFile } from 'antd';
import {
  AlertLinksCard,
  MergeButton,
  MergesCard,
  UploadsPicker,
  WatchersCard,
  uploadedIds,
  useTicketCollab,
} from './TicketCollabParts';

/** Asks for the note a move needs (resolve: what was done; reopen: why) and makes the move. */
export function MoveNoteModal({
  action,
  onCancel,
  onSubmit,
}: {
  action: UiAction | null;
  onCancel: () => void;
  onSubmit: (action: UiAction, note: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={action !== null}
      title={action ? t(`tickets.actions.${action}`) : ''}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'move-submit' }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async ({ note }) => {
          if (!action) return;
          setBusy(true);
          try {
            if (await onSubmit(action, note)) form.resetFields();
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="note"
          label={t(`tickets.moveNote.${action === 'reopen' ? 'reopen' : 'resolve'}`)}
          rules={[{ required: true, whitespace: true, message: t('tickets.moveNote.required') }]}
        >
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 3 }} data-testid="move-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Reply (public) or internal note; the server names the field of anything it refuses. */
export function ReplyBox({
  base,
  ticketId,
  allowInternal,
  onDone,
}: {
  base: string;
  ticketId: string;
  allowInternal: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [form] = Form.useForm<{ body: string }>();
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const submit = async ({ body }: { body: string }) => {
    setBusy(true);
    try {
      const attachmentIds = uploadedIds(files);
      await api.post(`${base}/${ticketId}/replies`, {
        body,
        visibility,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      form.resetFields();
      setFiles([]);
      void message.success(
        visibility === 'internal' ? t('tickets.reply.noted') : t('tickets.reply.sent'),
      );
      onDone();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small">
      {allowInternal && (
        <Tabs
          size="small"
          activeKey={visibility}
          onChange={(k) => setVisibility(k as 'public' | 'internal')}
          items={[
            {
              key: 'public',
              label: <span data-testid="reply-tab-public">{t('tickets.reply.public')}</span>,
            },
            {
              key: 'internal',
              label: <span data-testid="reply-tab-internal">{t('tickets.reply.internal')}</span>,
            },
          ]}
        />
      )}
      <Form form={form} onFinish={submit} onValuesChange={(c) => clearErrors(form, c)}>
        <Form.Item
          name="body"
          rules={[{ required: true, whitespace: true, message: t('tickets.reply.required') }]}
          style={{ marginBottom: 8 }}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 10 }}
            maxLength={50_000}
            placeholder={
              visibility === 'internal'
                ? t('tickets.reply.internalHint')
                : t('tickets.reply.publicHint')
            }
            data-testid="reply-body"
          />
        </Form.Item>
        <Space align="start" wrap>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="reply-submit">
            {visibility === 'internal' ? t('tickets.reply.addNote') : t('tickets.reply.send')}
          </Button>
          <UploadsPicker files={files} onChange={setFiles} />
        </Space>
      </Form>
    </Card>
  );
}

/** One ticket for staff: fields, SLA clocks, allowed moves, escalation, replies, timeline. */
export default function TicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const showError = useApiErrors();
  const canWork = useCan('tickets.work');
  const names = useDirectory(true);
  const [attachKey, setAttachKey] = useState(0);
  const [assignOpen, setAssignOpen] = useState(false);
  const [assignee, setAssignee] = useState<string>(me.id);
  const [escalateOpen, setEscalateOpen] = useState(false);
  const [escalateForm] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [noteFor, setNoteFor] = useState<UiAction | null>(null);
  const [collabKey, setCollabKey] = useState(0);
  const { collab } = useTicketCollab(id, collabKey);

  const {
    data: detail,
    error,
    reload: load,
  } = useLoad(
    (signal) => api.get<TicketDetail>(`/api/tickets/${id}`, undefined, { signal }),
    [id],
    {
      onError: (err) => {
        if (!isTicketMissing(err)) showError(err);
      },
    },
  );
  const missing = isTicketMissing(error);
  const { data: categories } = useTicketCategories({ quiet: true });

  useTicketsLive((changed) => {
    if (!changed || changed === id) {
      void load();
      setAttachKey((k) => k + 1);
      setCollabKey((k) => k + 1);
    }
  });

  if (missing) return <Result status="404" title={t('tickets.notFound')} />;
  if (!detail) return <Spin />;
  const { ticket, events, sla } = detail;
  const actions = canWork ? allowedActions(ticket.status, me.roles, false) : [];

  const move = async (action: UiAction, extra: Record<string, string> = {}) => {
    setBusy(true);
    try {
      await api.post(`/api/tickets/${id}/transitions`, { action, ...extra });
      void message.success(t('tickets.actions.done', { action: t(`tickets.actions.${action}`) }));
      await load();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const escalate = async ({ reason }: { reason: string }) => {
    setBusy(true);
    try {
      await api.post(`/api/tickets/${id}/escalations`, { reason });
      void message.success(t('tickets.escalate.done'));
      setEscalateOpen(false);
      escalateForm.resetFields();
      await load();
    } catch (err) {
      showError(err, escalateForm);
    } finally {
      setBusy(false);
    }
  };

  const category = categories.find((c) => c.id === ticket.categoryId);
  const people = [...names.entries()].map(([value, label]) => ({ value, label }));
  if (!names.has(me.id)) people.unshift({ value: me.id, label: me.displayName });

  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/tickets">
          <ArrowLeftOutlined /> {t('tickets.inbox.title')}
        </Link>
      </Space>
      <Typography.Title level={3} data-testid={TID.pageTitle} style={{ marginTop: 0 }}>
        <span data-testid="ticket-number">{ticket.number}</span> {ticket.title}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <StatusTag status={ticket.status} />
        <PriorityTag priority={ticket.priority} />
        <Typography.Text type="secondary">
          {t(`tickets.levels.${ticket.level}`, ticket.level)}
        </Typography.Text>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Card size="small" title={t('tickets.sla.title')}>
              {sla ? (
                <SlaClocks targets={sla.targets} />
              ) : (
                <Typography.Text type="secondary">{t('tickets.sla.none')}</Typography.Text>
              )}
            </Card>
            {canWork && (
              <Space wrap data-testid="ticket-actions">
                {actions.map((a) => (
                  <Button
                    key={a}
                    loading={busy}
                    type={a === 'resolve' ? 'primary' : 'default'}
                    data-testid={`ticket-action-${a}`}
                    onClick={() => {
                      if (a === 'assign') setAssignOpen(true);
                      else if (NOTE_REQUIRED.includes(a)) setNoteFor(a);
                      else void move(a);
                    }}
                  >
                    {t(`tickets.actions.${a}`)}
                  </Button>
                ))}
                {canEscalate(ticket.status, ticket.level, me.roles) && (
                  <Button
                    danger
                    icon={<RiseOutlined />}
                    onClick={() => setEscalateOpen(true)}
                    data-testid="ticket-escalate"
                  >
                    {t('tickets.escalate.button')}
                  </Button>
                )}
                {!['closed', 'merged'].includes(ticket.status) && (
                  <MergeButton
                    ticket={ticket}
                    onMerged={() => {
                      setCollabKey((k) => k + 1);
                      setAttachKey((k) => k + 1);
                      void load();
                    }}
                  />
                )}
              </Space>
            )}
            {canWork && (
              <ReplyBox
                base="/api/tickets"
                ticketId={id}
                allowInternal
                onDone={() => void load()}
              />
            )}
            <Card size="small" title={t('tickets.timeline.title')}>
              <TicketTimeline ticket={ticket} events={events} names={names} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Card size="small" title={t('tickets.fields.details')}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('tickets.fields.type')}>
                  {t(`tickets.types.${ticket.type}`, ticket.type)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.category')}>
                  {category?.name ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.channel')}>
                  {t(`tickets.channels.${ticket.channel}`, ticket.channel)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.caller')}>
                  <span data-testid="ticket-caller">
                    {[ticket.callerName, ticket.callerContact].filter(Boolean).join(' · ') || '—'}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.organisation')}>
                  {ticket.organisation ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.impactUrgency')}>
                  {t(`tickets.levelsIU.${ticket.impact}`, ticket.impact)} ×{' '}
                  {t(`tickets.levelsIU.${ticket.urgency}`, ticket.urgency)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.assignee')}>
                  <span data-testid="ticket-assignee">
                    {ticket.assigneeId
                      ? (names.get(ticket.assigneeId) ??
                        (ticket.assigneeId === me.id ? me.displayName : ticket.assigneeId))
                      : t('tickets.unassigned')}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.group')}>
                  {me.teams.find((x) => x.id === ticket.groupId)?.name ??
                    (ticket.groupId ? '…' : '—')}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.fields.createdAt')}>
                  {dayjs(ticket.createdAt).format('YYYY-MM-DD HH:mm')}
                </Descriptions.Item>
                {ticket.survey && (
                  <Descriptions.Item label={t('tickets.fields.survey')}>
                    {'★'.repeat(ticket.survey.score)} {ticket.survey.comment ?? ''}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>
                {ticket.description}
              </Typography.Paragraph>
            </Card>
            <MergesCard
              ticketId={id}
              collab={collab}
              canWork={canWork}
              onChanged={() => setCollabKey((k) => k + 1)}
            />
            <WatchersCard
              ticketId={id}
              collab={collab}
              canWork={canWork}
              meId={me.id}
              people={people}
              onChanged={() => setCollabKey((k) => k + 1)}
            />
            <AlertLinksCard ticketId={id} canWork={canWork} refreshKey={collabKey} />
            <AttachmentsCard
              ticketId={id}
              base="/api/tickets"
              allowInternal
              refreshKey={attachKey}
              onUploaded={() => {
                setAttachKey((k) => k + 1);
                void load();
              }}
            />
          </Space>
        </Col>
      </Row>
      <MoveNoteModal
        action={noteFor}
        onCancel={() => setNoteFor(null)}
        onSubmit={async (a, note) => {
          const ok = await move(a, { note });
          if (ok) setNoteFor(null);
          return ok;
        }}
      />
      <Modal
        open={assignOpen}
        title={t('tickets.actions.assign')}
        onCancel={() => setAssignOpen(false)}
        okButtonProps={{ 'data-testid': 'assign-submit' }}
        confirmLoading={busy}
        onOk={async () => {
          if (await move('assign', { assigneeId: assignee })) setAssignOpen(false);
        }}
      >
        <Select
          showSearch
          optionFilterProp="label"
          value={assignee}
          onChange={setAssignee}
          options={people}
          style={{ width: '100%' }}
          data-testid="assign-select"
        />
      </Modal>
      <Modal
        open={escalateOpen}
        title={t('tickets.escalate.title')}
        onCancel={() => setEscalateOpen(false)}
        onOk={() => escalateForm.submit()}
        okButtonProps={{ 'data-testid': 'escalate-submit' }}
        confirmLoading={busy}
      >
        <Typography.Paragraph type="secondary">{t('tickets.escalate.hint')}</Typography.Paragraph>
        <Form form={escalateForm} layout="vertical" onFinish={escalate}>
          <Form.Item
            name="reason"
            label={t('tickets.escalate.reason')}
            rules={[{ required: true, whitespace: true, message: t('tickets.escalate.required') }]}
          >
            <Input.TextArea
              maxLength={2000}
              autoSize={{ minRows: 3 }}
              data-testid="escalate-reason"
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
