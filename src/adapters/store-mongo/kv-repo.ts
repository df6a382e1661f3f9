/** Leases in MongoDB: an upsert that matches only our own or an expired lease (see queries.ts). */
import type { Model } from 'mongoose';
import { checkLease } from '../store-common/check-input.js';
import type { KvRepo } from '../../ports/store/index.js';
import { guard, isDuplicateKey } from './errors.js';
import { leaseAcquireFilter, leaseAcquireUpdate, leaseReleaseFilter } from './queries.js';

export function mongoKvRepo(leases: Model<unknown>): KvRepo {
  return {
    async acquireLease(name, holder, ttlMs, now) {
      checkLease(name, holder, ttlMs, now);
      return guard('kv.acquireLease', async () => {
        try {
          await leases.updateOne(leaseAcquireFilter(name, holder, now), leaseAcquireUpdate(holder, now + ttlMs), {
            upsert: true,
          });
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return false; // held by someone else and not expired
          throw err;
        }
      });
    },
    async releaseLease(name, holder) {
      checkLease(name, holder, 1, 0);
      await guard('kv.releaseLease', () => leases.deleteOne(leaseReleaseFilter(name, holder)));
    },
  };
}
