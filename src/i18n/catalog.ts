import { alerts } from '../modules/alerts/alerts.messages.js';
import { common } from './common.messages.js';
import { usersMessages } from '../modules/users/users.messages.js';
import { inboxMessages } from '../modules/inbox/inbox.messages.js';
import { tickets } from '../modules/tickets/tickets.messages.js';
import { notify } from '../modules/notify/notify.messages.js';
import { roster } from '../modules/roster/roster.messages.js';
import { rosterService } from '../modules/roster/roster-service.messages.js';
import { solver } from '../modules/solver/solver.messages.js';
import { solverProduct } from '../modules/solver/product.messages.js';
import { mail } from '../modules/mail/mail.messages.js';
import { ticketMail } from '../modules/tickets/ticket-mail.messages.js';
import { magicLinkMessages } from '../modules/users/magic-link.messages.js';
import { ticketCollab } from '../modules/tickets/ticket-collab.messages.js';

/**
 * Every server-side message, per locale. Each module keeps its messages in its own
 * `<module>.messages.ts` ({ zh, en } with the same keys) and is merged here.
 */
const parts = [
  common,
  usersMessages,
  inboxMessages,
  tickets,
  alerts,
  notify,
  roster,
  rosterService,
  solver,
  solverProduct,
  mail,
  ticketMail,
  magicLinkMessages,
  ticketCollab,
];

type Tree = { [key: string]: string | Tree };

function merge(target: Tree, source: Tree): Tree {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (typeof v === 'object' && typeof existing === 'object') merge(existing, v);
    else target[k] = v;
  }
  return target;
}

export const catalogs = {
  zh: parts.reduce<Tree>((acc, p) => merge(acc, p.zh), {}),
  en: parts.reduce<Tree>((acc, p) => merge(acc, p.en), {}),
};
