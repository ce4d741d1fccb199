import { Button, Form, Input, Select, Space } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useTicketCategories } from '../TicketParts';
import type { Category } from '../ticketTypes';
import {
  ActiveToggleButton,
  AdminEditDialog,
  AdminListCard,
  activeColumn,
  useEditDialog,
  useRowAction,
} from './AdminListParts';
import { type CategoryNode, subtreeOf, toTree } from './ticketAdminModel';

type Dialog =
  | { kind: 'create' }
  | { kind: 'rename'; category: Category }
  | { kind: 'move'; category: Category };
interface Values {
  name?: string;
  parentId?: string;
}

const TOP = '__top__';

/** The category tree: add, rename, move under another parent, disable and enable. */
export function CategoriesCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data: items, reload } = useTicketCategories();
  const dialog = useEditDialog<Dialog, Values>(form);
  const rowAction = useRowAction(reload);
  const editing = dialog.editing;

  const tree = useMemo(() => toTree(items), [items]);
  const parentOptions = useMemo(() => {
    const excluded = editing?.kind === 'move' ? subtreeOf(editing.category.id, items) : new Set();
    return [
      { value: TOP, label: t('tickets.admin.topLevel') },
      ...items.filter((c) => !excluded.has(c.id)).map((c) => ({ value: c.id, label: c.name })),
    ];
  }, [editing, items, t]);

  const open = (d: Dialog) =>
    dialog.open(
      d,
      d.kind === 'rename'
        ? { name: d.category.name }
        : { parentId: d.kind === 'move' ? (d.category.parentId ?? TOP) : TOP },
    );

  const handleSubmit = (values: Values) =>
    dialog.submit((d) => {
      const parentId = values.parentId === TOP ? null : (values.parentId ?? null);
      if (d.kind === 'create')
        return api.post('/api/tickets/categories', { name: values.name, parentId });
      if (d.kind === 'rename')
        return api.patch(`/api/tickets/categories/${d.category.id}`, { name: values.name });
      return api.patch(`/api/tickets/categories/${d.category.id}`, { parentId });
    }, reload);

  const columns: TableColumnsType<CategoryNode> = [
    {
      title: t('tickets.admin.categoryName'),
      dataIndex: 'name',
      render: (name: string, c) => <span data-testid={`category-name-${c.name}`}>{name}</span>,
    },
    activeColumn<CategoryNode>(t, (c) => `category-state-${c.name}`, 120),
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
          <ActiveToggleButton
            active={c.active}
            onClick={() =>
              void rowAction(() =>
                api.patch(`/api/tickets/categories/${c.id}`, { active: !c.active }),
              )
            }
            testId={`category-toggle-${c.name}`}
          />
        </Space>
      ),
    },
  ];

  return (
    <AdminListCard<CategoryNode>
      testIdPrefix="category"
      addLabel={t('tickets.admin.addCategory')}
      onAdd={() => open({ kind: 'create' })}
      columns={columns}
      items={tree}
      tableProps={{ expandable: { defaultExpandAllRows: true } }}
      tableKey={items.length}
    >
      <AdminEditDialog<Values>
        open={editing !== null}
        title={
          editing?.kind === 'create'
            ? t('tickets.admin.addCategory')
            : editing?.kind === 'rename'
              ? t('tickets.admin.rename')
              : t('tickets.admin.move')
        }
        form={form}
        saving={dialog.saving}
        okTestId="category-dialog-ok"
        onCancel={dialog.close}
        onFinish={handleSubmit}
      >
        {editing?.kind !== 'move' && (
          <Form.Item
            name="name"
            label={t('tickets.admin.categoryName')}
            rules={[{ required: true, whitespace: true, message: t('tickets.admin.nameRequired') }]}
          >
            <Input maxLength={100} data-testid="category-dialog-name" />
          </Form.Item>
        )}
        {editing?.kind !== 'rename' && (
          <Form.Item name="parentId" label={t('tickets.admin.parent')}>
            <Select
              options={parentOptions}
              showSearch
              optionFilterProp="label"
              data-testid="category-dialog-parent"
            />
          </Form.Item>
        )}
      </AdminEditDialog>
    </AdminListCard>
  );
}
