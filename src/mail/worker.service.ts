// The background sender: takes due mails from the queue in the database, respects the per-minute rate, retries
// faults with a growing delay, and pauses a campaign when the mail server refuses or disappears.
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { describeSendError, isPermanent, MAX_ATTEMPTS, retryDelayMs, type SendError } from './mail.domain.js';
import { claimMail, dueMails, failInterrupted, markAttemptFailed, markSent, pauseCampaign, sentInLastMinute } from './mail.queries.js';
import { createMailer, type Mailer } from './transport.service.js';
import { startBackgroundLoop } from '../shared/background.js';

export interface DrainResult {
  sent: number;
  failed: number;
  retrying: number;
  pausedCampaigns: number[];
}

/** Sends what is due now (at most `max`, and no more than the rate allows); returns what happened. */
export async function drainQueue(
  db: Knex, mailer: Mailer, config: Pick<Config, 'mailRatePerMinute' | 'smtpUrl'>, opts: { max?: number } = {},
): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, failed: 0, retrying: 0, pausedCampaigns: [] };
  const rate = config.mailRatePerMinute;
  const allowed = rate > 0 ? Math.max(0, rate - (await sentInLastMinute(db))) : Number.POSITIVE_INFINITY;
  const take = Math.min(allowed, opts.max ?? 100);
  if (take <= 0) return result;
  const due = await dueMails(db, new Date().toISOString(), take);
  const paused = new Set<number>();
  for (const mail of due) {
    if (mail.campaign_id !== null && paused.has(mail.campaign_id)) continue;
    if (!(await claimMail(db, mail.id))) continue;
    try {
      const sent = await mailer.send({
        to: { name: mail.to_name ?? '', address: mail.to_address }, subject: mail.subject, text: mail.text_body, html: mail.html_body,
        headers: mail.headers ? (JSON.parse(mail.headers) as Record<string, string>) : undefined, fileStem: `${mail.id}-${mail.kind}`,
      });
      await markSent(db, mail.id, sent);
      result.sent++;
    } catch (e) {
      const err = e as SendError;
      const reason = describeSendError(err, config.smtpUrl);
      const attempts = mail.attempts + 1;
      if (isPermanent(err)) {
        await markAttemptFailed(db, mail.id, reason, null);
        result.failed++;
      } else if (mail.campaign_id !== null) {
        // the server is down or refusing for now: hold the whole campaign until someone resumes it
        await markAttemptFailed(db, mail.id, reason, new Date().toISOString());
        await pauseCampaign(db, mail.campaign_id, reason);
        paused.add(mail.campaign_id);
        result.pausedCampaigns.push(mail.campaign_id);
        result.retrying++;
      } else if (attempts >= MAX_ATTEMPTS) {
        await markAttemptFailed(db, mail.id, reason, null);
        result.failed++;
      } else {
        await markAttemptFailed(db, mail.id, reason, new Date(Date.now() + retryDelayMs(attempts)).toISOString());
        result.retrying++;
      }
    }
  }
  return result;
}

export interface MailWorker {
  /** sends what is due now, without waiting for the next tick */
  kick(): void;
  stop(): Promise<void>;
}

/** Runs drainQueue every few seconds in the background (one run at a time); housekeeping once a minute. */
export function startMailWorker(
  db: Knex, config: Config,
  opts: { intervalMs?: number; mailer?: Mailer; housekeeping?: () => Promise<unknown>; prepare?: () => Promise<unknown> } = {},
): MailWorker {
  const mailer = opts.mailer ?? createMailer(config);
  let lastHousekeeping = 0;
  const loop = startBackgroundLoop(async () => {
    if (opts.housekeeping && Date.now() - lastHousekeeping > 60_000) {
      lastHousekeeping = Date.now();
      await opts.housekeeping();
    }
    if (opts.prepare) await opts.prepare();
    await drainQueue(db, mailer, config);
  }, {
    name: 'mail worker',
    intervalMs: opts.intervalMs ?? 3000,
    before: failInterrupted(db),
  });
  return {
    kick: loop.kick,
    async stop() {
      await loop.stop();
      mailer.close();
    },
  };
}
