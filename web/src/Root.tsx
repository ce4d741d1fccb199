import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/AuthContext';
import { AppLayout } from './layout/AppLayout';
import { NOT_BUILT } from './layout/nav';
import { FullPageSpin, RequireAuth, RequirePermission } from './layout/RequireAuth';
import { PortalLayout } from './pages/tickets/PortalLayout';
import { DashboardPage } from './pages/DashboardPage';
import { NotBuiltPage } from './pages/NotBuiltPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';

const UsersPage = lazy(() => import('./pages/UsersPage'));
const TeamsPage = lazy(() => import('./pages/TeamsPage'));
const AuditLogPage = lazy(() => import('./pages/AuditLogPage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const RosterMonthPage = lazy(() => import('./pages/roster/RosterMonthPage'));
const RosterSetupPage = lazy(() => import('./pages/roster/RosterSetupPage'));
const MyShiftsPage = lazy(() => import('./pages/roster/MyShiftsPage'));
const RosterRequestsPage = lazy(() => import('./pages/roster/RosterRequestsPage'));
const OnDutyPage = lazy(() => import('./pages/roster/OnDutyPage'));
const RosterAttendancePage = lazy(() => import('./pages/roster/RosterAttendancePage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const PageDetailPage = lazy(() => import('./pages/alerts/PageDetailPage'));
const AlertsSetupPage = lazy(() => import('./pages/alerts/AlertsSetupPage'));
const MyNotificationsPage = lazy(() => import('./pages/alerts/MyNotificationsPage'));
const TicketInboxPage = lazy(() => import('./pages/tickets/TicketInboxPage'));
const TicketPage = lazy(() => import('./pages/tickets/TicketPage'));
const PhoneEntryPage = lazy(() => import('./pages/tickets/PhoneEntryPage'));
const TicketAdminPage = lazy(() => import('./pages/tickets/TicketAdminPage'));
const PortalSignInPage = lazy(() => import('./pages/tickets/PortalSignInPage'));
const PortalLinkPage = lazy(() =>
  import('./pages/tickets/PortalSignInPage').then((m) => ({ default: m.PortalLinkPage })),
);
const portalPage = (
  name: 'PortalTicketsPage' | 'PortalNewTicketPage' | 'PortalTicketPage' | 'PortalSurveyPage',
) => lazy(() => import('./pages/tickets/PortalPages').then((m) => ({ default: m[name] })));
const PortalTicketsPage = portalPage('PortalTicketsPage');
const PortalNewTicketPage = portalPage('PortalNewTicketPage');
const PortalTicketPage = portalPage('PortalTicketPage');
const PortalSurveyPage = portalPage('PortalSurveyPage');
const PortalPasswordPage = lazy(() => import('./pages/tickets/PortalPasswordPage'));

function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        path="/portal/sign-in"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PortalSignInPage />
          </Suspense>
        }
      />
      <Route
        path="/portal/link"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PortalLinkPage />
          </Suspense>
        }
      />
      <Route path="/portal" element={<PortalLayout />}>
        <Route index element={<PortalTicketsPage />} />
        <Route path="new" element={<PortalNewTicketPage />} />
        <Route path="tickets/:id" element={<PortalTicketPage />} />
        <Route path="tickets/:id/survey" element={<PortalSurveyPage />} />
        <Route path="password" element={<PortalPasswordPage />} />
      </Route>
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        {NOT_BUILT.map((key) => (
          <Route key={key} path={key} element={<NotBuiltPage feature={key} />} />
        ))}
        <Route
          path="rosters"
          element={
            <RequirePermission permission="roster.read">
              <RosterMonthPage />
            </RequirePermission>
          }
        />
        <Route
          path="roster-setup"
          element={
            <RequirePermission permission="roster.manage">
              <RosterSetupPage />
            </RequirePermission>
          }
        />
        <Route
          path="my-shifts"
          element={
            <RequirePermission permission="roster.self">
              <MyShiftsPage />
            </RequirePermission>
          }
        />
        <Route
          path="roster-requests"
          element={
            <RequirePermission permission="roster.manage">
              <RosterRequestsPage />
            </RequirePermission>
          }
        />
        <Route
          path="on-duty"
          element={
            <RequirePermission permission="roster.read">
              <OnDutyPage />
            </RequirePermission>
          }
        />
        <Route
          path="tickets"
          element={
            <RequirePermission permission="tickets.read">
              <TicketInboxPage />
            </RequirePermission>
          }
        />
        <Route
          path="alerts"
          element={
            <RequirePermission permission="alerts.read">
              <AlertsPage />
            </RequirePermission>
          }
        />
        <Route
          path="tickets/phone"
          element={
            <RequirePermission permission="tickets.create">
              <PhoneEntryPage />
            </RequirePermission>
          }
        />
        <Route
          path="roster-attendance"
          element={
            <RequirePermission permission="roster.manage">
              <RosterAttendancePage />
            </RequirePermission>
          }
        />
        <Route
          path="alerts/pages/:id"
          element={
            <RequirePermission permission="alerts.read">
              <PageDetailPage />
            </RequirePermission>
          }
        />
        <Route
          path="alerts/setup"
          element={
            <RequirePermission permission="alerts.manage">
              <AlertsSetupPage />
            </RequirePermission>
          }
        />
        <Route
          path="alerts/me"
          element={
            <RequirePermission permission="alerts.read">
              <MyNotificationsPage />
            </RequirePermission>
          }
        />
        <Route
          path="tickets/:id"
          element={
            <RequirePermission permission="tickets.read">
              <TicketPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/users"
          element={
            <RequirePermission permission="users.read">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/teams"
          element={
            <RequirePermission permission="teams.read">
              <TeamsPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/audit"
          element={
            <RequirePermission permission="audit.read">
              <AuditLogPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/tickets"
          element={
            <RequirePermission permission="tickets.admin">
              <TicketAdminPage />
            </RequirePermission>
          }
        />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** Providers in order: antd locale and theme, antd App (messages, modals), session, router. */
export function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.resolvedLanguage === 'en' ? enUS : zhCN}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
