import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Team, User } from '../api/types';
import { useCan } from '../auth/AuthContext';
import { useApiErrors } from '../forms/useApiErrors';
import { useLoad } from '../lib/useLoad';
import { TID, tidFor } from '../testids';

interface TeamFormValues {
  name: string;
  timeZone: string;
  description?: string;
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function timeZones(): string[] {
  // Older browsers lack supportedValuesOf; the default zone and UTC still let a team be made.
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return Array.from(new Set([DEFAULT_TIME_ZONE, 'UTC', ...zones])).sort();
}

export default function TeamsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const canManage = useCan('teams.manage');
  const canReadUsers = useCan('users.read');
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [membersOf, setMembersOf] = useState<Team | null>(null);
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<TeamFormValues>();
  const zoneOptions = useMemo(() => timeZones().map((z) => ({ value: z, label: z })), []);

  const {
    data: items,
    loading,
    reload: load,
  } = useLoad(
    async (signal) => (await api.get<{ items: Team[] }>('/api/teams', undefined, { signal })).items,
    [],
    { initial: [] },
  );

  const handleOpenCreate = () => {
    form.resetFields();
    form.setFieldsValue({ timeZone: DEFAULT_TIME_ZONE });
    setEditing('new');
  };

  const handleOpenEdit = (team: Team) => {
    form.resetFields();
    form.setFieldsValue({
      name: team.name,
      timeZone: team.timeZone,
      description: team.description ?? '',
    });
    setEditing(team);
  };

  const handleSave = async (values: TeamFormValues) => {
    if (editing === null) return;
    setSaving(true);
    const description = values.description?.trim() ? values.description.trim() : null;
    try {
      if (editing === 'new') {
        await api.post<{ team: Team }>('/api/teams', {
          name: values.name.trim(),
          timeZone: values.timeZone,
          ...(description ? { description } : {}),
        });
        void message.success(t('teams.created'));
      } else {
        await api.patch<{ team: Team }>(`/api/teams/${encodeURIComponent(editing.id)}`, {
          name: values.name.trim(),
          timeZone: values.timeZone,
          description,
        });
        void message.success(t('common.saved'));
      }
      setEditing(null);
      await load();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const handleOpenMembers = async (team: Team) => {
    setMembersOf(team);
    setMemberIds(team.members.map((m) => m.id));
    if (!canReadUsers) return;
    try {
      setUsers((await api.get<{ items: User[] }>('/api/users')).items);
    } catch (err) {
      showError(err);
    }
  };

  const handleSaveMembers = async () => {
    if (!membersOf) return;
    setSaving(true);
    try {
      await api.put<{ team: Team }>(`/api/teams/${encodeURIComponent(membersOf.id)}/members`, {
        userIds: memberIds,
      });
      void message.success(t('teams.membersSaved'));
      setMembersOf(null);
      await load();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  // Current members stay selectable even when the user list could not be read.
  const memberOptions = useMemo(() => {
    const byId = new Map<string, string>();
    for (const m of membersOf?.members ?? []) byId.set(m.id, `${m.displayName} (${m.username})`);
    for (const u of users) if (!u.disabled) byId.set(u.id, `${u.displayName} (${u.username})`);
    return Array.from(byId, ([value, label]) => ({ value, label }));
  }, [membersOf, users]);

  const columns: TableColumnsType<Team> = [
    { title: t('teams.name'), dataIndex: 'name', key: 'name' },
    { title: t('teams.timeZone'), dataIndex: 'timeZone', key: 'timeZone' },
    {
      title: t('teams.members'),
      key: 'members',
      render: (_, team) => (
        <span title={team.members.map((m) => m.displayName).join(t('common.listSeparator'))}>
          {t('teams.memberCount', { count: team.members.length })}
        </span>
      ),
    },
    {
      title: t('teams.description'),
      dataIndex: 'description',
      key: 'description',
      responsive: ['md'],
      render: (d: string | null) => d ?? '—',
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, team) => (
        <Space wrap>
          <Button
            size="small"
            onClick={() => handleOpenEdit(team)}
            data-testid={tidFor.teamEdit(team.name)}
          >
            {t('common.edit')}
          </Button>
          <Button
            size="small"
            onClick={() => void handleOpenMembers(team)}
            data-testid={tidFor.teamMembers(team.name)}
          >
            {t('teams.editMembers')}
          </Button>
        </Space>
      ),
    });
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={TID.pageTitle}>
        {t('teams.title')}
      </Typography.Title>
      {canManage && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={handleOpenCreate}
          data-testid={TID.teamsCreate}
        >
          {t('teams.create')}
        </Button>
      )}
      <Table<Team>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid={TID.teamsTable}
      />

      <Modal
        open={editing !== null}
        title={
          editing === 'new' || editing === null
            ? t('teams.createTitle')
            : t('teams.editTitle', { name: editing.name })
        }
        onCancel={() => setEditing(null)}
        okText={editing === 'new' ? t('common.create') : t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': TID.teamSubmit }}
        forceRender
      >
        <Form<TeamFormValues> form={form} name="team" layout="vertical" onFinish={handleSave}>
          <Form.Item
            name="name"
            label={t('teams.name')}
            rules={[{ required: true, whitespace: true, message: t('teams.nameRequired') }]}
          >
            <Input data-testid={TID.teamName} />
          </Form.Item>
          <Form.Item
            name="timeZone"
            label={t('teams.timeZone')}
            rules={[{ required: true, message: t('teams.timeZoneRequired') }]}
          >
            <Select showSearch options={zoneOptions} data-testid={TID.teamTimeZone} />
          </Form.Item>
          <Form.Item name="description" label={t('teams.description')}>
            <Input.TextArea rows={3} data-testid={TID.teamDescription} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={membersOf !== null}
        title={t('teams.membersTitle', { name: membersOf?.name ?? '' })}
        onCancel={() => setMembersOf(null)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void handleSaveMembers()}
        okButtonProps={{ 'data-testid': TID.teamMembersSubmit }}
      >
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          placeholder={t('teams.selectMembers')}
          value={memberIds}
          onChange={setMemberIds}
          options={memberOptions}
          showSearch={{ optionFilterProp: 'label' }}
          data-testid={TID.teamMembersSelect}
        />
      </Modal>
    </Space>
  );
}
