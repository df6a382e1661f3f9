/**
 * The audit trail of the gateway whose keys `tnx keys` changes: one `key.*` event per key, through the
 * one audit writer (the recording subscriber), never by hand. Opened before the key file is touched,
 * and its events recorded before the new key files are put in place (src/cli/commands/keys.ts), so a
 * configuration or store that cannot record the change stops the command before it makes one.
 */
import type { AuditAction } from '../../domain/audit/actions.js';
import { EventBus } from '../../domain/audit/event-bus.js';
import type { TnxJwk } from '../../domain/keys/jwk.js';
import { attachAuditTrail } from '../../features/audit-trail/subscriber.js';
import { loadConfigFile } from '../../config/load.js';
import type { TnxConfig } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { openStore } from '../../runtime/open-store.js';
import type { Store } from '../../ports/store/index.js';
import type { CliIo } from '../io.js';

type KeyAction = Extract<AuditAction, 'key.generated' | 'key.rotated' | 'key.retired'>;

export class KeyAudit {
  readonly #bus = new EventBus();

  private constructor(
    readonly config: TnxConfig,
    readonly store: Store,
  ) {
    attachAuditTrail(this.#bus, store.audit);
  }

  /** The trail of `--config` (else TNX_CONFIG); null, with a note, when neither names a gateway. */
  static async open(
    values: { config?: string | undefined },
    io: CliIo,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<KeyAudit | null> {
    const path = values.config || env.TNX_CONFIG;
    if (!path) {
      io.err("not audited: pass --config FILE (or set TNX_CONFIG) to record this in the gateway's audit trail");
      return null;
    }
    const config = loadConfigFile(path);
    return new KeyAudit(config, await openStore(config.store));
  }

  /** One event per key: its kid, use and algorithm (public facts; never key material). */
  async record(action: KeyAction, keys: readonly TnxJwk[]): Promise<void> {
    const at = systemClock.now();
    await this.#bus.publish(
      ...keys.map((k) => ({
        action,
        actor: 'cli',
        at,
        outcome: action.slice('key.'.length),
        detail: {
          kid: k.kid,
          use: k.use,
          alg: k.alg,
          ...(k.tnx_retired ? { retired: k.tnx_retired } : {}),
        },
      })),
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
