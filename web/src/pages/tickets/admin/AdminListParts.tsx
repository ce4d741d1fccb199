import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Space, Table, Tag, Typography } from 'antd';
import type { FormInstance, TableColumnType, TableColumnsType, TableProps } from 'antd';
import type { Key, ReactNode } from 'react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrors } from '../../../forms/useApiErrors';

// The parts every card of the ticket administration shares: a list with an add button and an
// edit dialog, the active/disabled column and toggle, and "save, say saved, load again".

/**
 * Runs a save: `saving` while it runs, "saved" when it succeeded, the error shown otherwise (on
 * `form`'s field when the server names one it has). Resolves to whether it succeeded.
 */
export function useSaving(form?: FormInstance) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [saving, setSaving] = useState(false);
  const save = useCallback(
    async (work: () => Promise<unknown>): Promise<boolean> => {
      setSaving(true);
      try {
        await work();
        void message.success(t('tickets.admin.saved'));
        return true;
      } catch (err) {
        showError(err, form);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [form, message, showError, t],
  );
  return { saving, save };
}

/** A change made from a list row (enable, disable): then the list loads again; errors shown. */
export function useRowAction(reload: () => Promise<void>) {
  const showError = useApiErrors();
  return useCallback(
    async (work: () => Promise<unknown>) => {
      try {
        await work();
        await reload();
      } catch (err) {
        showError(err);
      }
    },
    [reload, showError],
  );
}

/**
 * The edit dialog's state: which item (or "new") it edits, opening it with the form filled,
 * and submitting it — on success the dialog closes and the list loads again.
 */
export function useEditDialog<D, V extends object>(form: FormInstance<V>) {
  const [editing, setEditing] = useState<D | null>(null);
  const { saving, save } = useSaving(form);
  const open = (d: D, values: Partial<V>) => {
    form.resetFields();
    form.setFieldsValue(values as Parameters<FormInstance<V>['setFieldsValue']>[0]);
    setEditing(d);
  };
  const submit = async (work: (d: D) => Promise<unknown>, reload: () => Promise<void>) => {
    if (editing === null) return;
    if (await save(() => work(editing))) {
      setEditing(null);
      await reload();
    }
  };
  return { editing, open, close: () => setEditing(null), saving, submit };
}

/** The state column: a green "active" or a grey "disabled" tag. */
export function activeColumn<T extends { active: boolean }>(
  t: (key: string) => string,
  testId: (row: T) => string,
  width: number,
): TableColumnType<T> {
  return {
    title: t('tickets.admin.state'),
    dataIndex: 'active',
    width,
    render: (active: boolean, row) => (
      <Tag color={active ? 'green' : 'default'} data-testid={testId(row)}>
        {active ? t('tickets.admin.active') : t('tickets.admin.disabled')}
      </Tag>
    ),
  };
}

/** Disables an active row, enables a disabled one. */
export function ActiveToggleButton({
  active,
  onClick,
  testId,
}: {
  active: boolean;
  onClick: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Button size="small" danger={active} onClick={onClick} data-testid={testId}>
      {active ? t('tickets.admin.disable') : t('tickets.admin.enable')}
    </Button>
  );
}

/** A list card: help text, the add button, the table and its edit dialog (as `children`). */
export function AdminListCard<T extends { id: string }>({
  testIdPrefix,
  help,
  addLabel,
  onAdd,
  columns,
  items,
  tableProps,
  tableKey,
  children,
}: {
  /** `category` gives `category-add` and `category-table`. */
  testIdPrefix: string;
  help?: string;
  addLabel: string;
  onAdd: () => void;
  columns: TableColumnsType<T>;
  items: readonly T[];
  tableProps?: Omit<TableProps<T>, 'columns' | 'dataSource'>;
  /** A new key remounts the table (so that `defaultExpandAllRows` sees new rows). */
  tableKey?: Key;
  children: ReactNode;
}) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {help && <Typography.Text type="secondary">{help}</Typography.Text>}
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={onAdd}
        data-testid={`${testIdPrefix}-add`}
      >
        {addLabel}
      </Button>
      <Table<T>
        key={tableKey}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        pagination={false}
        {...tableProps}
        data-testid={`${testIdPrefix}-table`}
      />
      {children}
    </Space>
  );
}

/** The modal form that adds or edits one row; OK submits the form. */
export function AdminEditDialog<V extends object>({
  open,
  title,
  form,
  saving,
  okTestId,
  onCancel,
  onFinish,
  children,
}: {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  saving: boolean;
  okTestId: string;
  onCancel: () => void;
  onFinish: (values: V) => Promise<void>;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, ...{ 'data-testid': okTestId } }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        {children}
      </Form>
    </Modal>
  );
}
