import { App, Button, Card, Col, Form, Input, List, Radio, Row, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useCan, useMe } from '../../auth/AuthContext';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { TID } from '../../testids';
import { StatusTag, useTicketCategories } from './TicketParts';
import type { UploadFile } from 'antd';
import { UploadsPicker, uploadedIds } from './TicketCollabParts';
import { titleFrom } from './ticketModel';
import { LEVELS, TICKET_TYPES, type Category, type Ticket } from './ticketTypes';

interface PhoneValues {
  callerName: string;
  callerContact: string;
  organisation?: string;
  type: string;
  categoryId: string;
  impact: string;
  urgency: string;
  description: string;
  title?: string;
  groupId?: string;
  dispatch: 'auto' | 'queue';
}

/** Categories as "parent / child" paths, active ones only. */
function categoryOptions(items: Category[]) {
  const byId = new Map(items.map((c) => [c.id, c]));
  const path = (c: Category): string => {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    return parent ? `${path(parent)} / ${c.name}` : c.name;
  };
  return items
    .filter((c) => c.active)
    .map((c) => ({ value: c.id, label: path(c) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * Quick entry for an agent on a call: the few fields a caller gives, and their earlier tickets
 * as the agent types the name or number (GET /api/tickets/callers).
 */
export default function PhoneEntryPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const showError = useApiErrors();
  const canRead = useCan('tickets.read');
  const canLookUp = useCan('tickets.work');
  const [form] = Form.useForm<PhoneValues>();
  const [history, setHistory] = useState<Ticket[]>([]);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lookupSeq = useRef(0);

  const { data: categories } = useTicketCategories();
  useEffect(() => () => clearTimeout(timer.current), []);

  const lookUp = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!canLookUp || q.length < 2) {
      setHistory([]);
      return;
    }
    timer.current = setTimeout(() => {
      const mine = ++lookupSeq.current;
      api
        .get<{ items: Ticket[] }>('/api/tickets/callers', { q: q.slice(0, 100) })
        .then((r) => {
          if (mine === lookupSeq.current) setHistory(r.items);
        })
        .catch(() => undefined);
    }, 250);
  };

  const submit = async (v: PhoneValues) => {
    setBusy(true);
    try {
      const attachmentIds = uploadedIds(files);
      const created = await api.post<Ticket>('/api/tickets', {
        channel: 'phone',
        callerName: v.callerName,
        callerContact: v.callerContact,
        ...(v.organisation?.trim() ? { organisation: v.organisation } : {}),
        type: v.type,
        categoryId: v.categoryId,
        impact: v.impact,
        urgency: v.urgency,
        title: v.title?.trim() ? v.title : titleFrom(v.description),
        description: v.description,
        ...(v.groupId ? { groupId: v.groupId } : {}),
        dispatch: v.dispatch,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      setFiles([]);
      void message.success(t('tickets.phone.created', { number: created.number }));
      if (canRead) navigate(`/tickets/${created.id}`);
      else {
        form.resetFields();
        setHistory([]);
      }
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Typography.Title level={3} data-testid={TID.pageTitle} style={{ marginTop: 0 }}>
        {t('tickets.phone.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small">
            <Form<PhoneValues>
              form={form}
              layout="vertical"
              onFinish={submit}
              onValuesChange={(changed: Partial<PhoneValues>) => {
                clearErrors(form, changed);
                if (changed.callerName !== undefined) lookUp(changed.callerName);
                if (changed.callerContact !== undefined) lookUp(changed.callerContact);
              }}
              initialValues={{
                type: 'fault',
                impact: 'medium',
                urgency: 'medium',
                dispatch: 'auto',
                groupId: me.teams[0]?.id,
              }}
            >
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="callerName"
                    label={t('tickets.phone.callerName')}
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('tickets.phone.callerNameRequired'),
                      },
                    ]}
                  >
                    <Input
                      maxLength={100}
                      autoFocus
                      autoComplete="off"
                      data-testid="phone-caller-name"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="callerContact"
                    label={t('tickets.phone.callerContact')}
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('tickets.phone.callerContactRequired'),
                      },
                    ]}
                  >
                    <Input
                      maxLength={100}
                      inputMode="tel"
                      autoComplete="off"
                      data-testid="phone-caller-contact"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="organisation" label={t('tickets.fields.organisation')}>
                <Input maxLength={200} data-testid="phone-organisation" />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="categoryId"
                    label={t('tickets.phone.faultType')}
                    rules={[{ required: true, message: t('tickets.phone.categoryRequired') }]}
                  >
                    <Select
                      showSearch
                      optionFilterProp="label"
                      options={categoryOptions(categories)}
                      notFoundContent={t('tickets.phone.noCategories')}
                      data-testid="phone-category"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="type" label={t('tickets.fields.type')}>
                    <Select
                      options={TICKET_TYPES.map((x) => ({
                        value: x,
                        label: t(`tickets.types.${x}`),
                      }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="description"
                label={t('tickets.phone.description')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('tickets.phone.descriptionRequired'),
                  },
                ]}
              >
                <Input.TextArea
                  autoSize={{ minRows: 4, maxRows: 12 }}
                  maxLength={20_000}
                  data-testid="phone-description"
                />
              </Form.Item>
              <Form.Item name="title" label={t('tickets.phone.titleOptional')}>
                <Input maxLength={200} placeholder={t('tickets.phone.titleHint')} />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={12} sm={6}>
                  <Form.Item name="impact" label={t('tickets.fields.impact')}>
                    <Select
                      options={LEVELS.map((x) => ({ value: x, label: t(`tickets.levelsIU.${x}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={6}>
                  <Form.Item name="urgency" label={t('tickets.fields.urgency')}>
                    <Select
                      options={LEVELS.map((x) => ({ value: x, label: t(`tickets.levelsIU.${x}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="groupId" label={t('tickets.fields.group')}>
                    <Select
                      allowClear
                      options={me.teams.map((x) => ({ value: x.id, label: x.name }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item>
                <UploadsPicker files={files} onChange={setFiles} />
              </Form.Item>
              <Form.Item name="dispatch" label={t('tickets.phone.dispatch')}>
                <Radio.Group>
                  <Radio value="auto">{t('tickets.phone.dispatchAuto')}</Radio>
                  <Radio value="queue">{t('tickets.phone.dispatchQueue')}</Radio>
                </Radio.Group>
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy}
                block
                data-testid="phone-submit"
              >
                {t('tickets.phone.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('tickets.phone.history')} data-testid="phone-history">
            {history.length === 0 ? (
              <Typography.Text type="secondary">{t('tickets.phone.historyEmpty')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={history}
                renderItem={(x) => (
                  <List.Item
                    data-testid={`phone-history-${x.number}`}
                    actions={[
                      <Button
                        key="use"
                        size="small"
                        type="link"
                        onClick={() =>
                          form.setFieldsValue({
                            callerName: x.callerName ?? undefined,
                            callerContact: x.callerContact ?? undefined,
                            organisation: x.organisation ?? undefined,
                          })
                        }
                      >
                        {t('tickets.phone.useCaller')}
                      </Button>,
                    ]}
                  >
                    <List.Item.Meta
                      title={canRead ? <Link to={`/tickets/${x.id}`}>{x.number}</Link> : x.number}
                      description={
                        <>
                          <StatusTag status={x.status} /> {x.title} · {x.callerName}{' '}
                          {x.organisation ? `· ${x.organisation}` : ''} ·{' '}
                          {dayjs(x.createdAt).format('YYYY-MM-DD')}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
