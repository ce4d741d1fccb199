import { Button, Modal, Select, Typography } from 'antd';
import type { RefSelectProps } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellRef } from './rosterModel';
import { dutiesOf } from './rosterModel';
import type { Duty, RosterView } from './rosterTypes';

/** The click (keyboard, phone) way to set one cell: pick its shifts, or make it a day off. */
export function RosterCellDialog({
  view,
  cell,
  onSave,
  onClose,
}: {
  view: RosterView;
  cell: CellRef | null;
  onSave(duties: Duty[]): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const selectRef = useRef<RefSelectProps>(null);
  // The picker starts from the cell's shifts when the dialog opens for a cell. A reload of the
  // month while it is open (another edit, the rotation's or the solver's refresh) must not
  // throw away what the user has picked but not saved yet (CI lost a typed pick that way).
  const cellKey = cell ? `${cell.personId}|${cell.date}` : null;
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  if (cellKey !== openedFor) {
    setOpenedFor(cellKey);
    if (cell)
      setChoice(dutiesOf(view.assignments, cell).map((d) => `${d.postId}|${d.shiftTypeId}`));
  }
  const shiftById = new Map(view.shiftTypes.map((s) => [s.id, s]));
  const options = view.posts.flatMap((p) =>
    p.shiftTypeIds.map((sid) => ({
      value: `${p.id}|${sid}`,
      label: `${shiftById.get(sid)?.code ?? '?'} · ${shiftById.get(sid)?.name ?? ''} @ ${p.name}`,
    })),
  );
  const save = async (values: string[]) => {
    setSaving(true);
    try {
      await onSave(
        values.map((v) => {
          const [postId = '', shiftTypeId = ''] = v.split('|');
          return { postId, shiftTypeId };
        }),
      );
    } finally {
      setSaving(false);
    }
  };
  const person = view.people.find((p) => p.id === cell?.personId)?.name ?? '';
  return (
    <Modal
      open={cell !== null}
      title={cell ? t('roster.grid.cellTitle', { person, date: cell.date }) : ''}
      onCancel={onClose}
      // The dialog may take the focus while it opens (its focus trap gives it to its first
      // focusable element, the close button); give it to the picker once it is open, so a
      // keyboard user can type a shift code straight away, unless they are already on a field
      // or a button of their own (a fast typist must not have the focus pulled from under them).
      afterOpenChange={(open) => {
        const active = document.activeElement;
        const onControl =
          (active instanceof HTMLInputElement || active instanceof HTMLButtonElement) &&
          active.closest('.ant-modal-close') === null;
        if (open && !onControl) selectRef.current?.focus();
      }}
      destroyOnHidden
      footer={[
        <Button
          key="off"
          data-testid="roster-cell-off"
          onClick={() => void save([])}
          loading={saving}
        >
          {t('roster.grid.clear')}
        </Button>,
        <Button
          key="save"
          type="primary"
          data-testid="roster-cell-save"
          loading={saving}
          onClick={() => void save(choice)}
        >
          {t('roster.grid.save')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('roster.grid.cellHint')}</Typography.Paragraph>
      <Select
        mode="multiple"
        allowClear
        autoFocus
        ref={selectRef}
        data-testid="roster-cell-select"
        style={{ width: '100%' }}
        placeholder={t('roster.grid.off')}
        value={choice}
        onChange={setChoice}
        options={options}
        optionFilterProp="label"
      />
    </Modal>
  );
}
