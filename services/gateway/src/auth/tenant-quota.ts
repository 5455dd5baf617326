import { LRUCache } from 'lru-cache';
import { TooManyRequests } from '../errors/auth-problems';

interface Bucket { tokens: number; at: number }

/**
 * Cases per second per tenant on `POST /cases`: a token bucket per tenant (`ratePerSecond`
 * tokens a second, up to `burst`), in this gateway's memory (two gateways allow twice the rate).
 * At most 10 000 tenants are tracked; the least recently seen is forgotten (a full bucket again).
 */
export class TenantQuota {
  private readonly buckets = new LRUCache<string, Bucket>({ max: 10_000 });

  /** @param now - the clock in ms (tests pass their own) */
  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly now: () => number = Date.now) {}

  /**
   * Takes one token of `tenant`'s bucket.
   * @throws TooManyRequests with the whole seconds until a token is back (`Retry-After`)
   */
  take(tenant: string): void {
    const t = this.now();
    const b = this.buckets.get(tenant) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.ratePerSecond);
    b.at = t;
    this.buckets.set(tenant, b);
    if (b.tokens < 1) {
      throw new TooManyRequests(`tenant '${tenant}' may start ${this.ratePerSecond} cases a second (burst ${this.burst}); try again shortly`, Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond)));
    }
    b.tokens -= 1;
  }
}
