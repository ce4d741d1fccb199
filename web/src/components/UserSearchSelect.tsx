import { Select } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import type { Role, User } from '../api/types';
import { useLoad } from '../lib/useLoad';

interface Props {
  /** The chosen user's id (a form field's value). */
  value?: string | null;
  onChange?: (id: string | undefined) => void;
  /** Only users holding this role are offered. */
  role?: Role;
  placeholder?: string;
  notFoundContent?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
}

/** A user's name as the pickers show it: display name and, after it, the account name. */
export const userLabel = (u: Pick<User, 'displayName' | 'username'>) =>
  u.displayName && u.displayName !== u.username ? `${u.displayName}（${u.username}）` : u.username;

/**
 * Picks a user by typing part of the name, account name or e-mail: asks `GET /api/users?q=`
 * (the users list's own search; `users.read`) as one types — a stale answer is dropped — and
 * keeps the value a user id. A value that is not among the results (a stored one) is read with
 * `GET /api/users/:id` for its name; an id no user has is shown as it is.
 */
export function UserSearchSelect({
  value,
  onChange,
  role,
  placeholder,
  notFoundContent,
  style,
  'data-testid': testId,
}: Props) {
  const [q, setQ] = useState('');
  const { data: found } = useLoad(
    async (signal) =>
      (
        await api.get<{ items: User[] }>(
          '/api/users',
          { ...(q.trim() ? { q: q.trim() } : {}), ...(role ? { role } : {}) },
          { signal },
        )
      ).items.slice(0, 50),
    [q, role],
    { initial: [] },
  );
  const { data: current } = useLoad(
    async (signal): Promise<User | null> => {
      if (!value) return null;
      try {
        return (
          await api.get<{ user: User }>(`/api/users/${encodeURIComponent(value)}`, undefined, {
            signal,
          })
        ).user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    [value],
    { initial: null },
  );
  const options = found.map((u) => ({ value: u.id, label: userLabel(u) }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: current?.id === value ? userLabel(current) : value });

  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      value={value ?? undefined}
      onChange={(id: string | undefined) => onChange?.(id)}
      onSearch={setQ}
      onClear={() => setQ('')}
      options={options}
      placeholder={placeholder}
      notFoundContent={notFoundContent}
      style={style}
      data-testid={testId}
    />
  );
}
