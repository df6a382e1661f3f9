/**
 * THE console page table: every page under /console, as data. src/http/console compiles each page
 * once; the navigation and the home page list, for a signed-in person, exactly the pages whose roles
 * include one of theirs — the same check that answers 403 when they open another.
 */
import { ROLES } from '../../core/principal.js';
import type { Part } from '../route.js';
import { definePage, type ConsoleUser, type Page } from './page.js';
import { roleLabel } from './layout.js';
import { homeBody, type HomeEntry } from './pages/home.js';
import { alertsPage } from './pages/alerts.js';
import { auditPage, auditVerifyPage } from './pages/audit.js';
import { deliveriesCsvPage, deliveriesPage } from './pages/deliveries.js';
import { notificationPage } from './pages/notification.js';
import { adminPages } from './pages/admin.js';
import { inboxPages } from './pages/inbox.js';
import { registryPages } from './pages/registry.js';
import { screeningPages } from './pages/screening.js';
import { statisticsChartPage, statisticsCsvPage, statisticsPage } from './pages/statistics.js';

/** Pages of the features; each feature's pages are added here, in navigation order. */
const FEATURE_PAGES: readonly Page[] = [
  deliveriesCsvPage,
  deliveriesPage,
  notificationPage,
  auditPage,
  auditVerifyPage,
  alertsPage,
  statisticsCsvPage,
  statisticsChartPage,
  statisticsPage,
  ...(inboxPages as readonly Page[]),
  ...(screeningPages as readonly Page[]),
  ...(registryPages as readonly Page[]),
  ...(adminPages as readonly Page[]),
];

/** Where a page lives in the browser: /console + its path. */
export function hrefOf(page: Page): string {
  return page.path === '/' ? '/console' : `/console${page.path}`;
}

/**
 * The pages listed for `user`: those of a part this gateway serves (a gateway without a registry has
 * no registry pages to list) whose roles include one of the user's.
 */
export function pagesFor(
  user: ConsoleUser,
  served: ReadonlySet<Part>,
  pages: readonly Page[] = CONSOLE_PAGES,
): HomeEntry[] {
  return pages
    .filter((p) => p.nav && p.method === 'GET' && served.has(p.part) && p.roles.some((r) => user.roles.includes(r)))
    .map((p) => ({ ...p.nav!, href: hrefOf(p) }))
    .sort((a, b) => a.order - b.order);
}

export const homePage = definePage({
  name: 'console.home',
  method: 'GET',
  path: '/',
  part: 'core',
  // Anyone signed in with a role; each entry listed is checked against its own page's roles.
  roles: ROLES,
  query: {},
  async handle({ user, served }) {
    return {
      kind: 'page',
      title: 'Home',
      body: homeBody(user.name, user.roles.map(roleLabel), pagesFor(user, served)),
    };
  },
});

export const CONSOLE_PAGES: readonly Page[] = [homePage, ...FEATURE_PAGES];
