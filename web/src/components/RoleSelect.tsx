import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../api/types';
import type { Role } from '../api/types';
import { TID, tidFor } from '../testids';

interface Props {
  value?: Role[];
  onChange?: (value: Role[]) => void;
}

/** Multi-select of roles with translated names; a Form.Item control. */
export function RoleSelect({ value, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Select<Role[]>
      mode="multiple"
      value={value}
      onChange={onChange}
      data-testid={TID.userRoles}
      showSearch={{ optionFilterProp: 'title' }}
      options={ROLES.map((r) => ({
        value: r,
        title: t(`roles.${r}`),
        label: <span data-testid={tidFor.roleOption(r)}>{t(`roles.${r}`)}</span>,
      }))}
    />
  );
}
