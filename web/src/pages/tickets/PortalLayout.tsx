import { CustomerServiceOutlined, KeyOutlined, LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Result, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { FullPageSpin } from '../../layout/RequireAuth';

/** The requester portal's own simple frame: name, language, sign out; nothing of the staff app. */
export function PortalFrame({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { state, signOut } = useAuth();
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Layout.Header
        style={{
          background: '#fff',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '0 12px',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <Link to="/portal" style={{ color: 'inherit' }}>
          <Space>
            <CustomerServiceOutlined style={{ fontSize: 20, color: '#1677ff' }} />
            <Typography.Text strong>{t('portal.name')}</Typography.Text>
          </Space>
        </Link>
        <Space size={4}>
          <LanguageSwitch />
          {state.status === 'signed-in' && (
            <Link to="/portal/password">
              <Button
                type="text"
                icon={<KeyOutlined />}
                data-testid="portal-change-password"
                aria-label={t('profile.changePassword')}
              />
            </Link>
          )}
          {state.status === 'signed-in' && (
            <Button
              type="text"
              icon={<LogoutOutlined />}
              onClick={() => void signOut()}
              data-testid="portal-signout"
              aria-label={t('header.signOut')}
            />
          )}
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 12, maxWidth: 860, width: '100%', margin: '0 auto' }}>
        <Suspense fallback={<FullPageSpin />}>{children}</Suspense>
      </Layout.Content>
    </Layout>
  );
}

/** Portal pages that need a requester's session. */
export function PortalLayout() {
  const { t } = useTranslation();
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'signed-out')
    return (
      <Navigate
        to="/portal/sign-in"
        replace
        state={{ from: location.pathname + location.search }}
      />
    );
  if (!state.me.permissions.includes('tickets.portal'))
    return (
      <PortalFrame>
        <Result
          status="info"
          title={t('portal.staffTitle')}
          subTitle={t('portal.staffHint')}
          extra={<Link to="/tickets">{t('portal.toDesk')}</Link>}
          data-testid="portal-staff"
        />
      </PortalFrame>
    );
  // An initial (must-change) password is changed before anything else.
  if (state.me.mustChangePassword && location.pathname !== '/portal/password')
    return <Navigate to="/portal/password" replace />;
  return (
    <PortalFrame>
      <Outlet />
    </PortalFrame>
  );
}
