import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { TID } from '../testids';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}>
      <Spin size="large" tip={t('app.loading')}>
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </div>
  );
}

/** A customer account: the requester role and no staff role. */
export const isRequesterOnly = (roles: readonly string[]) =>
  roles.length > 0 && roles.every((r) => r === 'requester');

/**
 * Sends visitors without a session to sign-in, remembering where they were going; requesters go
 * to the portal (the staff frame, its navigation included, is not for them).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'signed-out') {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  if (isRequesterOnly(state.me.roles)) return <Navigate to="/portal" replace />;
  return children;
}

/** Shows a "no permission" result instead of a page the user's roles do not allow. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { state } = useAuth();
  if (state.status === 'signed-in' && state.me.permissions.includes(permission)) return children;
  return (
    <Result
      status="403"
      title={t('errors.forbiddenTitle')}
      subTitle={t('errors.forbidden')}
      data-testid={TID.forbidden}
    />
  );
}
