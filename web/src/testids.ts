/*
 * Stable `data-testid` values for browser tests (test/e2e). Change them only together with
 * the tests that use them.
 *
 * Sign-in:   signin-username, signin-password, signin-submit, signin-error
 * Header:    lang-switch (wrapper), lang-zh, lang-en (buttons), user-menu (opens the menu),
 *            menu-profile, signout (items of the user menu), menu-toggle (phone only)
 * Nav:       nav-<key> on every menu link, e.g. nav-dashboard, nav-rosters, nav-users,
 *            nav-teams, nav-audit, nav-apiDocs (keys: see NAV_KEYS)
 * Secrets:   initial-password, new-password, token-secret (the value shown once),
 *            secret-close (closes that dialog)
 * Pages:     page-title (the <h*> of each page), not-built (the "not built yet" result),
 *            dashboard-welcome, forbidden
 * Users:     users-search, users-role-filter, users-include-disabled, users-create, users-table,
 *            user-username, user-displayName, user-email, user-phone, user-roles,
 *            role-option-<role> (option in the roles select), user-disabled,
 *            user-create-submit, user-edit-submit, initial-password, new-password,
 *            user-edit-<username>, user-reset-<username>
 * Teams:     teams-create, teams-table, team-name, team-timeZone, team-description,
 *            team-submit, team-edit-<name>, team-members-<name>, team-members-select,
 *            team-members-submit
 * Audit:     audit-table, audit-load-more, audit-entity-type
 * Profile:   profile-displayName, profile-email, profile-phone, profile-locale,
 *            profile-submit, password-current, password-new, password-confirm,
 *            password-submit, must-change-password,
 *            tokens-create, tokens-table, token-name, token-scopes, token-expiry,
 *            token-submit, token-secret, token-revoke-<name>
 * Rosters:   (literal ids in web/src/pages/roster/, used by test/e2e/roster.e2e.test.ts)
 *            roster-create, roster-select, roster-status, roster-rotation, roster-publish,
 *            roster-violations, roster-confirmations, roster-cell-<personId>-<date>
 *            (data-violation="block|warn"), roster-palette-<code>-<post>, roster-cover-<post>-<code>,
 *            rotation-pattern, rotation-add-all, rotation-submit, shift-add, shift-code,
 *            shift-name, shift-start, shift-end, shift-submit, shift-table, setup-tab-posts,
 *            post-add, post-name, post-shifts, cover-<code>-<dayKind>-min|preferred, post-submit,
 *            post-table, my-calendar, my-month, my-day-<date>, my-next, my-confirm, my-shift,
 *            my-check-in, my-check-out, my-attendance,
 *            onduty-team, onduty-at, onduty-now, onduty-post-<post name>, override-open,
 *            override-post, override-person, override-replaces, override-reason, override-submit,
 *            attendance-roster, attendance-csv, attendance-xlsx, attendance-summary,
 *            attendance-table (a table, or on a phone a list of attendance-row),
 *            attendance-problems, feeds-card, feeds-all, feeds-post, feeds-create, feeds-url,
 *            feeds-item, feeds-revoke-<id>, roster-remind
 * Alerts:    (literal ids in web/src/pages/alerts/, used by test/e2e/alerts.e2e.test.ts)
 *            alerts-live (data-connected=yes|no), pages-list, page-<id>, page-status (data-status),
 *            page-acknowledge, page-resolve, page-snooze, page-escalate, page-timeline,
 *            setup-tab-services|policies, policy-create, policy-name, policy-submit,
 *            policy-add-level, policy-level-<n>-targets-who, policy-level-<n>-delay,
 *            policy-edit-<name>, policy-<name>-level-<n>, service-create, service-name,
 *            service-submit, service-<name>, integration-kind|name|add-<service>,
 *            integration-url, integration-key, integration-snippet, service-test-<service>,
 *            service-test-page
 * Tickets:   (literal ids in web/src/pages/tickets/, used by test/e2e/tickets.e2e.test.ts)
 *            tickets-live (data-live="yes|no"), tickets-view-<view>, tickets-search,
 *            ticket-row-<number>, ticket-phone-new, phone-caller-name, phone-caller-contact,
 *            phone-organisation, phone-category, phone-description, phone-submit,
 *            phone-history-<number>, ticket-number, ticket-status, ticket-caller, ticket-assignee,
 *            sla-<target> (data-state), ticket-action-<action>, move-note, move-submit,
 *            ticket-escalate, escalate-reason, reply-tab-public|internal, reply-body,
 *            reply-submit, event-<kind> (data-visibility), attachment-upload
 * Portal:    portal-email, portal-send-link, portal-link-sent, portal-username,
 *            portal-password, portal-ticket-<number>, portal-new, portal-category, portal-title,
 *            portal-description, portal-submit, portal-confirm, portal-reopen, survey-card,
 *            survey-comment, survey-submit, survey-done
 */

export const TID = {
  signinUsername: 'signin-username',
  signinPassword: 'signin-password',
  signinSubmit: 'signin-submit',
  signinError: 'signin-error',
  langSwitch: 'lang-switch',
  langZh: 'lang-zh',
  langEn: 'lang-en',
  userMenu: 'user-menu',
  menuProfile: 'menu-profile',
  signout: 'signout',
  menuToggle: 'menu-toggle',
  pageTitle: 'page-title',
  notBuilt: 'not-built',
  forbidden: 'forbidden',
  dashboardWelcome: 'dashboard-welcome',
  usersSearch: 'users-search',
  usersRoleFilter: 'users-role-filter',
  usersIncludeDisabled: 'users-include-disabled',
  usersCreate: 'users-create',
  usersTable: 'users-table',
  userUsername: 'user-username',
  userDisplayName: 'user-displayName',
  userEmail: 'user-email',
  userPhone: 'user-phone',
  userRoles: 'user-roles',
  userDisabled: 'user-disabled',
  userCreateSubmit: 'user-create-submit',
  userEditSubmit: 'user-edit-submit',
  initialPassword: 'initial-password',
  newPassword: 'new-password',
  secretClose: 'secret-close',
  teamsCreate: 'teams-create',
  teamsTable: 'teams-table',
  teamName: 'team-name',
  teamTimeZone: 'team-timeZone',
  teamDescription: 'team-description',
  teamSubmit: 'team-submit',
  teamMembersSelect: 'team-members-select',
  teamMembersSubmit: 'team-members-submit',
  auditTable: 'audit-table',
  auditLoadMore: 'audit-load-more',
  auditEntityType: 'audit-entity-type',
  profileDisplayName: 'profile-displayName',
  profileEmail: 'profile-email',
  profilePhone: 'profile-phone',
  profileLocale: 'profile-locale',
  profileSubmit: 'profile-submit',
  passwordCurrent: 'password-current',
  passwordNew: 'password-new',
  passwordConfirm: 'password-confirm',
  passwordSubmit: 'password-submit',
  mustChangePassword: 'must-change-password',
  tokensCreate: 'tokens-create',
  tokensTable: 'tokens-table',
  tokenName: 'token-name',
  tokenScopes: 'token-scopes',
  tokenExpiry: 'token-expiry',
  tokenSubmit: 'token-submit',
  tokenSecret: 'token-secret',
} as const;

/** Test ids built from a value, e.g. `nav-users` or `user-edit-alice`. */
export const tidFor = {
  nav: (key: string) => `nav-${key}`,
  roleOption: (role: string) => `role-option-${role}`,
  userEdit: (username: string) => `user-edit-${username}`,
  userReset: (username: string) => `user-reset-${username}`,
  teamEdit: (name: string) => `team-edit-${name}`,
  teamMembers: (name: string) => `team-members-${name}`,
  tokenRevoke: (name: string) => `token-revoke-${name}`,
};
