import {
  AlertOutlined,
  ApiOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FieldTimeOutlined,
  HistoryOutlined,
  InboxOutlined,
  PhoneOutlined,
  ScheduleOutlined,
  SettingOutlined,
  StarOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/** Capabilities of DESIGN.md whose pages are not built yet; each renders NotBuiltPage. */
export const NOT_BUILT = [
  'handover',
  'inspections',
  'emergencies',
  'kb',
  'quality',
  'assets',
  'reports',
] as const;
export type NotBuiltKey = (typeof NOT_BUILT)[number];

export interface NavItem {
  key: string;
  path: string;
  icon: ReactNode;
  /** Shown only to users holding this permission (the server enforces it anyway). */
  permission?: string;
  /** A server page outside the SPA, opened in a new tab. */
  external?: boolean;
}

/**
 * Who sees a page that is not built yet: the permission its module will use where the table
 * has it; otherwise any staff member (teams.read is every role but requester).
 */
const notBuiltPermission: Record<NotBuiltKey, string> = {
  handover: 'teams.read',
  inspections: 'teams.read',
  emergencies: 'teams.read',
  kb: 'teams.read',
  quality: 'teams.read',
  assets: 'teams.read',
  reports: 'teams.read',
};

const icons: Record<NotBuiltKey, ReactNode> = {
  handover: <SwapOutlined />,
  inspections: <CheckSquareOutlined />,
  emergencies: <WarningOutlined />,
  kb: <BookOutlined />,
  quality: <StarOutlined />,
  assets: <DatabaseOutlined />,
  reports: <BarChartOutlined />,
};

export const MAIN_NAV: NavItem[] = [
  { key: 'dashboard', path: '/', icon: <DashboardOutlined /> },
  { key: 'rosters', path: '/rosters', icon: <CalendarOutlined />, permission: 'roster.read' },
  { key: 'myShifts', path: '/my-shifts', icon: <ScheduleOutlined />, permission: 'roster.self' },
  { key: 'onDuty', path: '/on-duty', icon: <PhoneOutlined />, permission: 'roster.read' },
  {
    key: 'rosterRequests',
    path: '/roster-requests',
    icon: <InboxOutlined />,
    permission: 'roster.manage',
  },
  {
    key: 'rosterAttendance',
    path: '/roster-attendance',
    icon: <FieldTimeOutlined />,
    permission: 'roster.manage',
  },
  {
    key: 'rosterSetup',
    path: '/roster-setup',
    icon: <SettingOutlined />,
    permission: 'roster.manage',
  },
  { key: 'alerts', path: '/alerts', icon: <AlertOutlined />, permission: 'alerts.read' },
  {
    key: 'alertsSetup',
    path: '/alerts/setup',
    icon: <ControlOutlined />,
    permission: 'alerts.manage',
  },
  { key: 'alertsMe', path: '/alerts/me', icon: <BellOutlined />, permission: 'alerts.read' },
  {
    key: 'tickets',
    path: '/tickets',
    icon: <CustomerServiceOutlined />,
    permission: 'tickets.read',
  },
  {
    key: 'ticketPhone',
    path: '/tickets/phone',
    icon: <PhoneOutlined />,
    permission: 'tickets.create',
  },
  ...NOT_BUILT.map((key) => ({
    key,
    path: `/${key}`,
    icon: icons[key],
    permission: notBuiltPermission[key],
  })),
];

export const ADMIN_NAV: NavItem[] = [
  { key: 'users', path: '/admin/users', icon: <UserOutlined />, permission: 'users.read' },
  { key: 'teams', path: '/admin/teams', icon: <TeamOutlined />, permission: 'teams.read' },
  { key: 'audit', path: '/admin/audit', icon: <HistoryOutlined />, permission: 'audit.read' },
  {
    key: 'ticketAdmin',
    path: '/admin/tickets',
    icon: <CustomerServiceOutlined />,
    permission: 'tickets.admin',
  },
  { key: 'apiDocs', path: '/api/docs', icon: <ApiOutlined />, external: true },
];
