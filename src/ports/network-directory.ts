/**
 * What the rest of the gateway sees of the network-directory follower (src/features/directory/follower.ts):
 * its status for /readyz, metrics and alerts, and the document it holds for the directory routes.
 */
import type { ErrorCode } from '../core/errors.js';
import type { NetworkDirectory } from '../domain/directory/network.js';

export interface NetworkDirectoryStatus {
  /** A directory is held (from disk or the network). */
  loaded: boolean;
  serial: number | null;
  issuedAt: string | null;
  nextUpdate: string | null;
  expiresAt: string | null;
  source: 'none' | 'disk' | 'network';
  lastAttemptAt: string | null;
  /** Last time the coordinator answered with the current or a newer valid document (200 or 304). */
  lastSuccessAt: string | null;
  lastChangeAt: string | null;
  lastError: { code: ErrorCode; message: string; at: string } | null;
  consecutiveFailures: number;
  /** Past nextUpdate: still in use; alert. */
  stale: boolean;
  /** Past expiresAt: nothing is sealed until a newer directory arrives. */
  expired: boolean;
  /** Our kids that the directory does not list as usable for us: partners cannot use them. */
  ownKeysMissing: string[];
  /** loaded, not stale, not expired, all our keys listed: nothing for an operator to do. */
  healthy: boolean;
}

export interface NetworkDirectoryView {
  status(): NetworkDirectoryStatus;
  /** The verified document held, or null before the first one. */
  current(): NetworkDirectory | null;
  /** The same document as signed by the coordinator (compact JWS), byte for byte. */
  signed(): string | null;
}
