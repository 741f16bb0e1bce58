// Login throttling per client address AND per account, counted in the database so that several instances share
// it: guessing one account's password from many addresses is limited as much as guessing many from one.
import type { Knex } from 'knex';
import { clearFailures, failureCounts, recordFailures } from './throttle.queries.js';
import { emailHash } from '../privacy/privacy.domain.js';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;

export class LoginThrottle {
  constructor(private readonly db: Knex, private readonly attempts: number, private readonly windowMs = THROTTLE_WINDOW_MS) {}

  private keys(ip: string | undefined, email: string): string[] {
    const account = emailHash(email) ?? 'none'; // the one e-mail hash (privacy's): no address in the table
    return [`ip:${ip ?? 'unknown'}`.slice(0, 100), `account:${account}`];
  }

  private since(): string {
    return new Date(Date.now() - this.windowMs).toISOString();
  }

  /** Whether this address or this account has used up its failed attempts of the current window. */
  async blocked(ip: string | undefined, email: string): Promise<boolean> {
    const counts = await failureCounts(this.db, this.keys(ip, email), this.since());
    return counts.some((n) => n >= this.attempts);
  }

  async failed(ip: string | undefined, email: string): Promise<void> {
    await recordFailures(this.db, this.keys(ip, email), new Date().toISOString(), this.since());
  }

  /** A successful login clears the account's count (not the address's: one right password does not unlock guessing). */
  async succeeded(email: string): Promise<void> {
    await clearFailures(this.db, [this.keys(undefined, email)[1]!]);
  }
}
