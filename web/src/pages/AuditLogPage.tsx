import { Button, Col, Input, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AuditEvent, AuditPage } from '../api/types';
import { useLoadPages } from '../lib/useLoadPages';
import { TID } from '../testids';

const PAGE_SIZE = 50;

function JsonBlock({ title, value, empty }: { title: string; value: unknown; empty: string }) {
  return (
    <div>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <pre
        style={{
          margin: '4px 0 0',
          padding: 8,
          background: 'rgba(0,0,0,0.03)',
          borderRadius: 6,
          maxHeight: 320,
          overflow: 'auto',
          fontSize: 12,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {value === null || value === undefined ? empty : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

export default function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [entityType, setEntityType] = useState('');
  const dateLocale = i18n.resolvedLanguage === 'en' ? 'en-GB' : 'zh-CN';

  const {
    items,
    next: nextBefore,
    loading,
    loadMore,
  } = useLoadPages(
    async (before: number | undefined, signal) => {
      const res = await api.get<AuditPage>(
        '/api/audit',
        { entityType: entityType || undefined, before, limit: PAGE_SIZE },
        { signal },
      );
      return { items: res.items, next: res.nextBefore };
    },
    [entityType],
  );

  const columns: TableColumnsType<AuditEvent> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      key: 'at',
      render: (at: number) => new Date(at).toLocaleString(dateLocale),
    },
    {
      title: t('audit.actor'),
      key: 'actor',
      render: (_, e) => e.actorName ?? e.actorId ?? t('common.system'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      render: (a: string) => <Tag>{a}</Tag>,
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_, e) => (
        <span>
          {e.entityType}
          {e.entityId && (
            <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
              {e.entityId}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', responsive: ['md'] },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={TID.pageTitle}>
        {t('audit.title')}
      </Typography.Title>
      <Input.Search
        allowClear
        placeholder={t('audit.entityTypeFilter')}
        enterButton={t('audit.apply')}
        onSearch={(v) => setEntityType(v.trim())}
        style={{ width: 320, maxWidth: '100%' }}
        data-testid={TID.auditEntityType}
      />
      <Table<AuditEvent>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid={TID.auditTable}
        expandable={{
          rowExpandable: (e) => e.before !== null || e.after !== null,
          expandedRowRender: (e) => (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <JsonBlock title={t('audit.before')} value={e.before} empty={t('audit.empty')} />
              </Col>
              <Col xs={24} md={12}>
                <JsonBlock title={t('audit.after')} value={e.after} empty={t('audit.empty')} />
              </Col>
            </Row>
          ),
        }}
      />
      {nextBefore !== null ? (
        <Button onClick={() => void loadMore()} loading={loading} data-testid={TID.auditLoadMore}>
          {t('common.loadMore')}
        </Button>
      ) : (
        items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      )}
    </Space>
  );
}
