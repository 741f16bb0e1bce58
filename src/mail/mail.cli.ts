// `skillnet mail test ADDRESS`: connects with the SMTP settings, sends one mail, and says exactly what failed.
import path from 'node:path';
import { CliError, type CliContext } from '../cli/cli.shared.js';
import { cleanAddress, describeSendError, type SendError } from './mail.domain.js';
import { composeMail } from './compose.domain.js';
import { claimMail, enqueueMail, markAttemptFailed, markSent } from './mail.queries.js';
import { createMailer, outboxDir } from './transport.service.js';

export async function mailTestCommand(ctx: CliContext, args: string[]): Promise<number> {
  const address = cleanAddress(args[0]);
  if (!address || args.length !== 1) throw new CliError('usage: skillnet mail test ADDRESS (one e-mail address)');
  const { config } = ctx;
  const mailer = createMailer(config, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  const content = composeMail('test', 'en');
  const id = await enqueueMail(ctx.db, { kind: 'test', to: { name: null, address }, locale: 'en', content });
  await claimMail(ctx.db, id);
  try {
    if (mailer.mode === 'smtp') await mailer.verify();
    const sent = await mailer.send({ to: { name: '', address }, subject: content.subject, text: content.text, html: content.html, fileStem: `${id}-test` });
    await markSent(ctx.db, id, sent);
    if (mailer.mode === 'smtp') ctx.out(`Sent a test mail to ${address} (message id ${sent.messageId}); the SMTP settings work.`);
    else ctx.out(`No SMTP_URL is set, so nothing was sent: the test mail was written to ${path.join(outboxDir(config), sent.file ?? '')}.`);
    return 0;
  } catch (e) {
    const reason = describeSendError(e as SendError, config.smtpUrl);
    await markAttemptFailed(ctx.db, id, reason, null);
    throw new CliError(`mail test failed: ${reason}`);
  } finally {
    mailer.close();
  }
}
