import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import {
  Alert,
  Avatar,
  Button,
  Drawer,
  Dropdown,
  Grid,
  Layout,
  Menu,
  Spin,
  theme,
  Typography,
} from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth/AuthContext';
import { TID, tidFor } from '../testids';
import { LanguageSwitch } from './LanguageSwitch';
import { ADMIN_NAV, MAIN_NAV } from './nav';
import type { NavItem } from './nav';

function selectedKey(pathname: string): string {
  const all = [...MAIN_NAV, ...ADMIN_NAV].filter((i) => !i.external && i.path !== '/');
  // The longest matching path wins: /alerts/setup is "alertsSetup", not "alerts".
  const hit = all
    .filter((i) => pathname === i.path || pathname.startsWith(`${i.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return hit ? hit.key : pathname === '/' ? 'dashboard' : '';
}

function useMenuItems(): MenuProps['items'] {
  const { t } = useTranslation();
  const me = useMe();
  const toItem = (i: NavItem) => ({
    key: i.key,
    icon: i.icon,
    label: i.external ? (
      <a href={i.path} target="_blank" rel="noreferrer" data-testid={tidFor.nav(i.key)}>
        {t(`nav.${i.key}`)}
      </a>
    ) : (
      <Link to={i.path} data-testid={tidFor.nav(i.key)}>
        {t(`nav.${i.key}`)}
      </Link>
    ),
  });
  const allowed = (i: NavItem) => !i.permission || me.permissions.includes(i.permission);
  const admin = ADMIN_NAV.filter(allowed);
  return [
    ...MAIN_NAV.filter(allowed).map(toItem),
    {
      key: 'admin',
      type: 'group',
      label: t('nav.admin'),
      children: admin.map(toItem),
    },
  ];
}

/** The signed-in frame: side menu (a drawer on phones), header with language and user menu. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const items = useMenuItems();
  // Until the breakpoints are measured, assume a wide screen.
  const isPhone = screens.lg === false;
  const current = selectedKey(location.pathname);

  const handleSignOut = async () => {
    await signOut();
    navigate('/sign-in', { replace: true });
  };

  const userMenu: MenuProps = {
    items: [
      {
        key: 'profile',
        icon: <UserOutlined />,
        label: <span data-testid={TID.menuProfile}>{t('header.profile')}</span>,
      },
      { type: 'divider' },
      {
        key: 'signout',
        icon: <LogoutOutlined />,
        danger: true,
        label: <span data-testid={TID.signout}>{t('header.signOut')}</span>,
      },
    ],
    onClick: ({ key }) => {
      if (key === 'profile') navigate('/profile');
      if (key === 'signout') void handleSignOut();
    },
  };

  const brand = (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        padding: '0 20px',
        color: isPhone ? token.colorText : '#fff',
        fontWeight: 600,
        fontSize: 16,
        whiteSpace: 'nowrap',
        overflow: 'hidden',
      }}
    >
      {collapsed && !isPhone ? 'DD' : t('app.name')}
    </div>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isPhone && (
        <Layout.Sider
          width={232}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          style={{ overflow: 'auto', height: '100vh', position: 'sticky', top: 0 }}
        >
          {brand}
          <Menu theme="dark" mode="inline" selectedKeys={[current]} items={items} />
        </Layout.Sider>
      )}
      {isPhone && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
        >
          <Menu
            mode="inline"
            selectedKeys={[current]}
            items={items}
            onClick={() => setDrawerOpen(false)}
          />
        </Drawer>
      )}
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            padding: '0 16px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {isPhone && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('nav.openMenu')}
              data-testid={TID.menuToggle}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          {isPhone && <Typography.Text strong>{t('app.name')}</Typography.Text>}
          <div style={{ flex: 1 }} />
          <LanguageSwitch />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" data-testid={TID.userMenu} aria-label={t('header.userMenu')}>
              <Avatar size="small" icon={<UserOutlined />} />
              {!isPhone && <span>{me.displayName}</span>}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: isPhone ? 12 : 24 }}>
          {me.mustChangePassword && location.pathname !== '/profile' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('profile.mustChangePassword')}
              action={
                <Link to="/profile">
                  <Button size="small">{t('profile.changePassword')}</Button>
                </Link>
              }
            />
          )}
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
