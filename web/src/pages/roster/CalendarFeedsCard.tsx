import {
  App,
  Button,
  Card,
  List,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Team } from '../../api/types';
import { useCan, useMe } from '../../auth/AuthContext';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';
import type { RosterSetup } from './rosterTypes';

interface Feed {
  id: string;
  kind: 'person' | 'post';
  subjectId: string;
  subjectName: string;
  createdByName: string;
  createdAt: number;
}

/**
 * iCalendar subscriptions: my shifts or a post's duty in any calendar app, by a secret URL that
 * is shown once, when it is made, and can be revoked. A duty admin can see and revoke everyone's.
 */
export function CalendarFeedsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const showError = useApiErrors();
  const canManage = useCan('roster.manage');
  const [all, setAll] = useState(false);
  const [kind, setKind] = useState<'person' | 'post'>('person');
  const [posts, setPosts] = useState<{ value: string; label: string }[]>([]);
  const [postId, setPostId] = useState<string>();
  const [url, setUrl] = useState<string | null>(null);

  const { data: feeds, reload: load } = useLoad(
    async (signal) =>
      (
        await api.get<{ items: Feed[] }>(
          '/api/roster/feeds',
          { all: all ? 'true' : 'false' },
          { signal },
        )
      ).items,
    [all],
    { initial: [] },
  );

  useEffect(() => {
    if (kind !== 'post' || posts.length > 0) return;
    (async () => {
      const teams = await api.get<{ items: Team[] }>('/api/teams');
      const out: { value: string; label: string }[] = [];
      for (const team of teams.items) {
        const s = await api.get<RosterSetup>(`/api/roster/teams/${team.id}/setup`);
        for (const p of s.posts) out.push({ value: p.id, label: `${team.name} · ${p.name}` });
      }
      setPosts(out);
    })().catch(showError);
  }, [kind, posts.length, showError]);

  const handleCreate = async () => {
    try {
      const r = await api.post<{ path: string }>('/api/roster/feeds', {
        kind,
        subjectId: kind === 'person' ? me.id : (postId ?? ''),
      });
      setUrl(`${window.location.origin}${r.path}`);
      void message.success(t('roster.feeds.created'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const handleRevoke = async (id: string) => {
    try {
      await api.delete(`/api/roster/feeds/${id}`);
      void message.success(t('roster.feeds.revoked'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card
      size="small"
      title={t('roster.feeds.title')}
      data-testid="feeds-card"
      extra={
        canManage ? (
          <Space>
            <Typography.Text>{t('roster.feeds.all')}</Typography.Text>
            <Switch size="small" checked={all} onChange={setAll} data-testid="feeds-all" />
          </Space>
        ) : undefined
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('roster.feeds.hint')}</Typography.Text>
        <Space wrap>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as 'person' | 'post')}
            options={[
              { value: 'person', label: t('roster.feeds.mine') },
              { value: 'post', label: t('roster.feeds.post') },
            ]}
          />
          {kind === 'post' && (
            <Select
              style={{ minWidth: 200 }}
              value={postId}
              onChange={setPostId}
              placeholder={t('roster.feeds.pickPost')}
              data-testid="feeds-post"
              options={posts}
            />
          )}
          <Button onClick={() => void handleCreate()} data-testid="feeds-create">
            {t('roster.feeds.create')}
          </Button>
        </Space>
        {url && (
          <div data-testid="feeds-url">
            <Typography.Text type="warning">{t('roster.feeds.onlyOnce')}</Typography.Text>
            <Typography.Paragraph copyable={{ text: url }} code style={{ wordBreak: 'break-all' }}>
              {url}
            </Typography.Paragraph>
          </div>
        )}
        <List
          size="small"
          dataSource={feeds}
          locale={{ emptyText: t('roster.feeds.empty') }}
          renderItem={(f) => (
            <List.Item
              data-testid="feeds-item"
              actions={[
                <Popconfirm
                  key="r"
                  title={t('roster.feeds.revokeConfirm')}
                  onConfirm={() => void handleRevoke(f.id)}
                >
                  <Button size="small" danger data-testid={`feeds-revoke-${f.id}`}>
                    {t('roster.feeds.revoke')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              {t(`roster.feeds.kinds.${f.kind}`)} · {f.subjectName} ·{' '}
              {dayjs(f.createdAt).format('YYYY-MM-DD HH:mm')}
              {all ? ` · ${f.createdByName}` : ''}
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
