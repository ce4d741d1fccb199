import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  List,
  Rate,
  Result,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import { MoveNoteModal, ReplyBox } from './TicketPage';
import type { UploadFile } from 'antd';
import { UploadsPicker, uploadedIds } from './TicketCollabParts';
import {
  AttachmentsCard,
  StatusTag,
  TicketTimeline,
  isTicketMissing,
  useTicketCategories,
} from './TicketParts';
import { allowedActions } from './ticketModel';
import { TICKET_TYPES, type TicketDetail, type TicketPage } from './ticketTypes';

const NO_NAMES = new Map<string, string>();

/** The requester's own tickets, newest first. */
export function PortalTicketsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data, loading } = useLoad(
    async (signal) =>
      (await api.get<TicketPage>('/api/portal/tickets', { limit: 100 }, { signal })).items,
    [],
  );
  // A spinner until the first answer; a failed load shows (after its message) as no tickets.
  const items = data ?? (loading ? null : []);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('portal.tickets.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/portal/new')}
          data-testid="portal-new"
        >
          {t('portal.tickets.new')}
        </Button>
      </Space>
      {items === null ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t('portal.tickets.none')} />
      ) : (
        <List
          dataSource={items}
          renderItem={(x) => (
            <Card
              size="small"
              style={{ marginBottom: 8, cursor: 'pointer' }}
              onClick={() => navigate(`/portal/tickets/${x.id}`)}
              data-testid={`portal-ticket-${x.number}`}
            >
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{x.number}</Typography.Text>
                  <StatusTag status={x.status} />
                </Space>
                <Typography.Text>{x.title}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('portal.tickets.updated', {
                    at: dayjs(x.updatedAt).format('YYYY-MM-DD HH:mm'),
                  })}
                </Typography.Text>
              </Space>
            </Card>
          )}
        />
      )}
    </div>
  );
}

/** A requester files a ticket. */
export function PortalNewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const showError = useApiErrors();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const all = useTicketCategories().data;
  const categories = useMemo(() => all.filter((c) => c.active), [all]);
  const submit = async (v: {
    type: string;
    categoryId: string;
    title: string;
    description: string;
  }) => {
    setBusy(true);
    try {
      const attachmentIds = uploadedIds(files);
      const created = await api.post<{ id: string }>('/api/portal/tickets', {
        channel: 'portal',
        ...v,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      navigate(`/portal/tickets/${created.id}`);
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="page-title">
        {t('portal.new.title')}
      </Typography.Title>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(c) => clearErrors(form, c)}
        initialValues={{ type: 'fault' }}
      >
        <Form.Item name="type" label={t('tickets.fields.type')}>
          <Select
            options={TICKET_TYPES.map((x) => ({ value: x, label: t(`tickets.types.${x}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="categoryId"
          label={t('tickets.fields.category')}
          rules={[{ required: true, message: t('tickets.phone.categoryRequired') }]}
        >
          <Select
            options={categories.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="portal-category"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('tickets.fields.title')}
          rules={[{ required: true, whitespace: true, message: t('portal.new.titleRequired') }]}
        >
          <Input maxLength={200} data-testid="portal-title" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('tickets.phone.description')}
          rules={[
            { required: true, whitespace: true, message: t('tickets.phone.descriptionRequired') },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 4 }}
            maxLength={20_000}
            data-testid="portal-description"
          />
        </Form.Item>
        <Form.Item>
          <UploadsPicker files={files} onChange={setFiles} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="portal-submit">
          {t('portal.new.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** The satisfaction survey: 1–5 and a comment, once, on a closed ticket. */
export function SurveyCard({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [form] = Form.useForm<{ score: number; comment?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { score: number; comment?: string }) => {
    setBusy(true);
    try {
      await api.post(`/api/portal/tickets/${ticketId}/survey`, {
        score: v.score,
        ...(v.comment?.trim() ? { comment: v.comment } : {}),
      });
      void message.success(t('portal.survey.thanks'));
      onDone();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('portal.survey.title')} data-testid="survey-card">
      <Typography.Paragraph type="secondary">{t('portal.survey.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="score"
          label={t('portal.survey.score')}
          rules={[{ required: true, message: t('portal.survey.scoreRequired') }]}
        >
          <Rate count={5} style={{ fontSize: 32 }} data-testid="survey-score" />
        </Form.Item>
        <Form.Item name="comment" label={t('portal.survey.comment')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} data-testid="survey-comment" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="survey-submit">
          {t('portal.survey.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** One of the requester's tickets: status, public history, reply, confirm the fix, rate it. */
export function PortalTicketPage({ surveyFirst = false }: { surveyFirst?: boolean }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const showError = useApiErrors();
  const [attachKey, setAttachKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [reopening, setReopening] = useState(false);

  const {
    data: detail,
    error,
    reload: load,
  } = useLoad(
    (signal) => api.get<TicketDetail>(`/api/portal/tickets/${id}`, undefined, { signal }),
    [id],
    {
      onError: (err) => {
        if (!isTicketMissing(err)) showError(err);
      },
    },
  );
  const missing = isTicketMissing(error);

  if (missing) return <Result status="404" title={t('tickets.notFound')} />;
  if (!detail) return <Spin />;
  const { ticket, events } = detail;
  const actions = allowedActions(ticket.status, me.roles, ticket.requesterId === me.id);
  const surveyOpen = ticket.status === 'closed' && !ticket.survey && ticket.requesterId === me.id;

  const move = async (action: 'confirm' | 'reopen', note?: string) => {
    setBusy(true);
    try {
      await api.post(`/api/portal/tickets/${id}/transitions`, {
        action,
        ...(note ? { note } : {}),
      });
      void message.success(t(`portal.ticket.${action}Done`));
      await load();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const survey = surveyOpen ? <SurveyCard ticketId={id} onDone={() => void load()} /> : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/portal">{t('portal.tickets.back')}</Link>
      {surveyFirst && survey}
      <Card size="small">
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="page-title">
          <span data-testid="ticket-number">{ticket.number}</span> {ticket.title}
        </Typography.Title>
        <Space wrap>
          <StatusTag status={ticket.status} />
          <Typography.Text type="secondary">
            {dayjs(ticket.createdAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>
          {ticket.description}
        </Typography.Paragraph>
        {ticket.status === 'resolved' && (
          <Typography.Paragraph type="success">
            {t('portal.ticket.resolvedHint')}
          </Typography.Paragraph>
        )}
        <Space wrap>
          {actions
            .filter((a): a is 'confirm' | 'reopen' => a === 'confirm' || a === 'reopen')
            .map((a) => (
              <Button
                key={a}
                type={a === 'confirm' ? 'primary' : 'default'}
                loading={busy}
                onClick={() => (a === 'reopen' ? setReopening(true) : void move(a))}
                data-testid={`portal-${a}`}
              >
                {t(`portal.ticket.${a}`)}
              </Button>
            ))}
        </Space>
        {ticket.survey && (
          <Typography.Paragraph data-testid="survey-done" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('portal.survey.given', { score: ticket.survey.score })}
          </Typography.Paragraph>
        )}
      </Card>
      <MoveNoteModal
        action={reopening ? 'reopen' : null}
        onCancel={() => setReopening(false)}
        onSubmit={async (_a, note) => {
          const ok = await move('reopen', note);
          if (ok) setReopening(false);
          return ok;
        }}
      />
      {!surveyFirst && survey}
      {ticket.status !== 'closed' && ticket.status !== 'merged' && (
        <ReplyBox
          base="/api/portal/tickets"
          ticketId={id}
          allowInternal={false}
          onDone={() => void load()}
        />
      )}
      <Card size="small" title={t('tickets.timeline.title')}>
        <TicketTimeline ticket={ticket} events={events} names={NO_NAMES} />
      </Card>
      <AttachmentsCard
        ticketId={id}
        base="/api/portal/tickets"
        allowInternal={false}
        refreshKey={attachKey}
        onUploaded={() => {
          setAttachKey((k) => k + 1);
          void load();
        }}
      />
    </Space>
  );
}

export function PortalSurveyPage() {
  return <PortalTicketPage surveyFirst />;
}
