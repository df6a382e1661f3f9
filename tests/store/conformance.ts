/**
 * The one conformance suite every store adapter passes (bullmq tests/adapter-conformance.test.ts).
 * Adding an adapter means running this, nothing else.
 *
 * `open()` must return a NEW store instance (its own connection) on the SAME database each time it
 * is called, so the suite can race several instances against each other. Tests share that database:
 * each uses its own ids / notification ids / actions and filters on them, never assuming it is alone.
 */
import type { Store } from '../../src/ports/store/index.js';
import { auditConformance } from './conformance/audit.js';
import { auditWithConformance } from './conformance/audit-with.js';
import { auditWithRecordsConformance } from './conformance/audit-with-records.js';
import { inboundConformance } from './conformance/inbound.js';
import { leaseConformance } from './conformance/leases.js';
import { outboundConformance } from './conformance/outbound.js';

export { verifyWholeChain } from './conformance/audit.js';

export function runStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, function () {
    this.timeout(60_000);
    const opened: Store[] = [];
    let main: Store | null = null;
    const ctx = {
      store: (): Store => {
        if (!main) throw new Error('conformance store not opened');
        return main;
      },
      another: async (): Promise<Store> => {
        const s = await open();
        opened.push(s);
        return s;
      },
    };

    before(async () => {
      main = await ctx.another();
    });
    after(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    outboundConformance(ctx);
    inboundConformance(ctx);
    auditConformance(ctx);
    auditWithConformance(ctx);
    auditWithRecordsConformance(ctx);
    leaseConformance(ctx);
  });
}
