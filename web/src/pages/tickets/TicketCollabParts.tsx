import {
  DeleteOutlined,
  LinkOutlined,
  MailOutlined,
  MergeCellsOutlined,
  UndoOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, getCsrfToken } from '../../api/client';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import type { Ticket, TicketEvent } from './ticketTypes';

/** Watchers, merges and the merged tickets' records of one ticket (GET /api/tickets/:id/collab). */
export interface TicketCollab {
  watchers: { userId: string; addedBy: string | null; createdAt: number; notifyMail: boolean }[];
  mergedFrom: { ticketId: string; number: string; mergedAt: number; intoId: string }[];
  mergedInto: { ticketId: string; number: string; mergedAt: number } | null;
  mergedEvents: (TicketEvent & { fromNumber: string })[];
}

export function useTicketCollab(ticketId: string, refreshKey: number) {
  // Without access (or on failure) there is nothing to show: the cards stay hidden.
  const { data: collab, reload } = useLoad(
    (signal) =>
      api.get<TicketCollab>(`/api/tickets/${ticketId}/collab`, undefined, { signal }).then(
        (c) => c,
        () => null,
      ),
    [ticketId, refreshKey],
    { initial: null },
  );
  return { collab, reload };
}

/** Staff who follow the ticket: add (anyone on the teams list), remove, or watch it oneself. */
export function WatchersCard({
  ticketId,
  collab,
  canWork,
  meId,
  people,
  onChanged,
}: {
  ticketId: string;
  collab: TicketCollab | null;
  canWork: boolean;
  meId: string;
  people: { value: string; label: string }[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [pick, setPick] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const watchers = collab?.watchers ?? [];
  const name = (id: string) => people.find((p) => p.value === id)?.label ?? id.slice(0, 8);

  const add = async (userId: string) => {
    setBusy(true);
    try {
      await api.post(`/api/tickets/${ticketId}/watchers`, { userId });
      void message.success(t('tickets.collab.watcherAdded'));
      setPick(null);
      onChanged();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (userId: string) => {
    try {
      await api.delete(`/api/tickets/${ticketId}/watchers/${userId}`);
      onChanged();
    } catch (err) {
      showError(err);
    }
  };
  const mine = watchers.find((w) => w.userId === meId);
  const setMail = async (notifyMail: boolean) => {
    try {
      await api.patch(`/api/tickets/${ticketId}/watchers/${meId}`, { notifyMail });
      void message.success(
        t(notifyMail ? 'tickets.collab.watchMailOn' : 'tickets.collab.watchMailOff'),
      );
      onChanged();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card size="small" title={t('tickets.collab.watchers')} data-testid="ticket-watchers">
      {watchers.length === 0 ? (
        <Typography.Text type="secondary">{t('tickets.collab.noWatchers')}</Typography.Text>
      ) : (
        <Space wrap>
          {watchers.map((w) => (
            <Tag
              key={w.userId}
              closable={canWork}
              onClose={(e) => {
                e.preventDefault();
                void remove(w.userId);
              }}
              data-testid={`watcher-${w.userId}`}
              data-mail={w.notifyMail ? 'on' : 'off'}
              icon={w.notifyMail ? <MailOutlined title={t('tickets.collab.watchMail')} /> : null}
            >
              {name(w.userId)}
            </Tag>
          ))}
        </Space>
      )}
      {mine && (
        <div style={{ marginTop: 8 }}>
          <Checkbox
            checked={mine.notifyMail}
            onChange={(e) => void setMail(e.target.checked)}
            data-testid="watcher-mail"
          >
            {t('tickets.collab.watchMail')}
          </Checkbox>
        </div>
      )}
      {canWork && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Select
            showSearch
            optionFilterProp="label"
            value={pick}
            onChange={setPick}
            options={people.filter((p) => !watchers.some((w) => w.userId === p.value))}
            placeholder={t('tickets.collab.addWatcher')}
            style={{ flex: 1 }}
            data-testid="watcher-select"
          />
          <Button
            loading={busy}
            disabled={!pick}
            onClick={() => pick && void add(pick)}
            data-testid="watcher-add"
          >
            {t('tickets.collab.addWatcher')}
          </Button>
        </Space.Compact>
      )}
      {canWork && !watchers.some((w) => w.userId === meId) && (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, marginTop: 4 }}
          onClick={() => void add(meId)}
          data-testid="watcher-me"
        >
          {t('tickets.collab.watchMe')}
        </Button>
      )}
    </Card>
  );
}

/** "Merge ticket": pick another ticket (searched by number or title) and merge it into this one. */
export function MergeButton({ ticket, onMerged }: { ticket: Ticket; onMerged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [form] = Form.useForm<{ fromTicketId: string; acrossRequesters?: boolean }>();

  const search = async (q: string) => {
    try {
      const r = await api.get<{ items: Ticket[] }>('/api/tickets', {
        ...(q.trim() ? { q: q.trim() } : {}),
        limit: '20',
      });
      setOptions(
        r.items
          .filter((x) => x.id !== ticket.id && x.status !== 'merged')
          .map((x) => ({ value: x.id, label: `${x.number} ${x.title}` })),
      );
    } catch {
      setOptions([]);
    }
  };

  const submit = async (v: { fromTicketId: string; acrossRequesters?: boolean }) => {
    setBusy(true);
    try {
      await api.post(`/api/tickets/${ticket.id}/merges`, {
        fromTicketId: v.fromTicketId,
        acrossRequesters: v.acrossRequesters === true,
      });
      void message.success(t('tickets.collab.merged'));
      setOpen(false);
      form.resetFields();
      onMerged();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        icon={<MergeCellsOutlined />}
        onClick={() => {
          setOpen(true);
          void search('');
        }}
        data-testid="ticket-merge"
      >
        {t('tickets.collab.merge')}
      </Button>
      <Modal
        open={open}
        title={t('tickets.collab.mergeTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'merge-submit' }}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('tickets.collab.mergeHint')}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="fromTicketId"
            label={t('tickets.collab.mergeFrom')}
            rules={[{ required: true, message: t('tickets.collab.mergeFromRequired') }]}
          >
            <Select
              showSearch
              filterOption={false}
              onSearch={(q) => void search(q)}
              options={options}
              placeholder={t('tickets.collab.mergeSearch')}
              data-testid="merge-from"
            />
          </Form.Item>
          <Form.Item name="acrossRequesters" valuePropName="checked">
            <Checkbox data-testid="merge-across">{t('tickets.collab.mergeAcross')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/**
 * Where the ticket went (merged into) and which tickets came in, with their records; staff who
 * may merge may undo a merge from either side.
 */
export function MergesCard({
  ticketId,
  collab,
  canWork,
  onChanged,
}: {
  ticketId: string;
  collab: TicketCollab | null;
  canWork: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  if (!collab || (!collab.mergedInto && collab.mergedFrom.length === 0)) return null;
  const undo = async (intoId: string, fromId: string) => {
    try {
      await api.delete(`/api/tickets/${intoId}/merges/${fromId}`);
      void message.success(t('tickets.collab.unmerged'));
      onChanged();
    } catch (err) {
      showError(err);
    }
  };
  const undoButton = (intoId: string, fromId: string, number: string) =>
    canWork ? (
      <Popconfirm
        title={t('tickets.collab.unmergeConfirm', { number })}
        onConfirm={() => undo(intoId, fromId)}
        okButtonProps={{ 'data-testid': 'unmerge-confirm' } as React.ComponentProps<typeof Button>}
      >
        <Button size="small" type="link" icon={<UndoOutlined />} data-testid={`unmerge-${number}`}>
          {t('tickets.collab.unmerge')}
        </Button>
      </Popconfirm>
    ) : null;
  return (
    <Card size="small" title={t('tickets.collab.merged')} data-testid="ticket-merges">
      {collab.mergedInto && (
        <Typography.Paragraph data-testid="merged-into">
          <Link to={`/tickets/${collab.mergedInto.ticketId}`}>
            {t('tickets.collab.mergedInto', { number: collab.mergedInto.number })}
          </Link>{' '}
          {undoButton(collab.mergedInto.ticketId, ticketId, collab.mergedInto.number)}
        </Typography.Paragraph>
      )}
      {collab.mergedFrom.length > 0 && (
        <>
          <Typography.Text type="secondary">{t('tickets.collab.mergedFrom')}</Typography.Text>
          <List
            size="small"
            dataSource={collab.mergedFrom}
            renderItem={(m) => (
              <List.Item
                data-testid={`merged-from-${m.number}`}
                actions={[undoButton(m.intoId, m.ticketId, m.number)]}
              >
                <Link to={`/tickets/${m.ticketId}`}>{m.number}</Link>
                <Typography.Text type="secondary">
                  {dayjs(m.mergedAt).format('YYYY-MM-DD HH:mm')}
                </Typography.Text>
              </List.Item>
            )}
          />
        </>
      )}
      {collab.mergedEvents.some((e) => e.kind === 'reply') && (
        <>
          <Typography.Text type="secondary">{t('tickets.collab.mergedEvents')}</Typography.Text>
          <List
            size="small"
            dataSource={collab.mergedEvents.filter((e) => e.kind === 'reply')}
            renderItem={(e) => (
              <List.Item data-testid="merged-event">
                <Space direction="vertical" size={0}>
                  <Typography.Text type="secondary">
                    {t('tickets.timelineCollab.fromTicket', { number: e.fromNumber })} ·{' '}
                    {dayjs(e.at).format('MM-DD HH:mm')}
                  </Typography.Text>
                  <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

interface AlertLink {
  id: string;
  pageId: string;
  createdAt: number;
  page: { id: string; summary: string; severity: string; status: string } | null;
}

/** Alert pages the ticket is about, with their status as the alerts module reports it now. */
export function AlertLinksCard({
  ticketId,
  canWork,
  refreshKey,
}: {
  ticketId: string;
  canWork: boolean;
  refreshKey: number;
}) {
  const { t } = useTranslation();
  const showError = useApiErrors();
  const [open, setOpen] = useState(false);
  const [pages, setPages] = useState<{ value: string; label: string }[]>([]);
  const [form] = Form.useForm<{ pageId: string }>();
  const { data: items, reload: load } = useLoad(
    (signal) =>
      api
        .get<{ items: AlertLink[] }>(`/api/tickets/${ticketId}/alert-links`, undefined, { signal })
        .then(
          (r) => r.items,
          () => [],
        ),
    [ticketId, refreshKey],
    { initial: [] },
  );

  const openPicker = async () => {
    setOpen(true);
    try {
      const r = await api.get<{ items: { id: string; summary: string; status: string }[] }>(
        '/api/pages',
        { limit: '50' },
      );
      setPages(r.items.map((p) => ({ value: p.id, label: `${p.summary} (${p.status})` })));
    } catch {
      setPages([]);
    }
  };
  const submit = async ({ pageId }: { pageId: string }) => {
    try {
      await api.post(`/api/tickets/${ticketId}/alert-links`, { pageId });
      setOpen(false);
      form.resetFields();
      await load();
    } catch (err) {
      showError(err, form);
    }
  };
  const unlink = async (id: string) => {
    try {
      await api.delete(`/api/tickets/${ticketId}/alert-links/${id}`);
      await load();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card
      size="small"
      title={t('tickets.collab.alerts')}
      data-testid="ticket-alert-links"
      extra={
        canWork && (
          <Button
            size="small"
            icon={<LinkOutlined />}
            onClick={() => void openPicker()}
            data-testid="alert-link-add"
          >
            {t('tickets.collab.linkAlert')}
          </Button>
        )
      }
    >
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('tickets.collab.noAlerts')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(l) => (
            <List.Item
              data-testid={`alert-link-${l.pageId}`}
              actions={
                canWork
                  ? [
                      <Button
                        key="unlink"
                        size="small"
                        type="text"
                        icon={<DeleteOutlined />}
                        aria-label={t('tickets.collab.unlink')}
                        onClick={() => void unlink(l.id)}
                      />,
                    ]
                  : []
              }
            >
              {l.page ? (
                <Space wrap>
                  <Link to={`/alerts/pages/${l.pageId}`}>{l.page.summary}</Link>
                  <Tag
                    color={
                      l.page.status === 'resolved'
                        ? 'green'
                        : l.page.status === 'acknowledged'
                          ? 'gold'
                          : 'red'
                    }
                    data-testid="alert-link-status"
                    data-status={l.page.status}
                  >
                    {t(`tickets.collab.pageStatus.${l.page.status}`, l.page.status)}
                  </Tag>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('tickets.collab.pageGone')}</Typography.Text>
              )}
            </List.Item>
          )}
        />
      )}
      <Modal
        open={open}
        title={t('tickets.collab.linkAlertTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="pageId"
            label={t('tickets.collab.linkAlertPick')}
            rules={[{ required: true, message: t('tickets.collab.linkAlertRequired') }]}
          >
            <Select showSearch optionFilterProp="label" options={pages} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/**
 * Files for a reply or a new ticket: each is uploaded at once (POST /api/ticket-uploads) and its
 * id sent as `attachmentIds` with the reply; the server checks they are the sender's and unused.
 */
export function UploadsPicker({
  files,
  onChange,
}: {
  files: UploadFile[];
  onChange: (files: UploadFile[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Upload
      name="file"
      action="/api/ticket-uploads"
      withCredentials
      headers={{ 'x-csrf-token': getCsrfToken() ?? '' }}
      fileList={files}
      onChange={(info) =>
        onChange(
          info.fileList.map((f) =>
            f.status === 'error'
              ? {
                  ...f,
                  response:
                    (f.response as { message?: string } | undefined)?.message ??
                    t('tickets.collab.attachFailed'),
                }
              : f,
          ),
        )
      }
    >
      <Button size="small" icon={<UploadOutlined />} data-testid="reply-attach">
        {t('tickets.collab.attach')}
      </Button>
    </Upload>
  );
}

/** The ids of the uploads that finished, for `attachmentIds`. */
export const uploadedIds = (files: UploadFile[]) =>
  files
    .filter((f) => f.status === 'done')
    .map((f) => (f.response as { id?: string } | undefined)?.id)
    .filter((id): id is string => typeof id === 'string');
