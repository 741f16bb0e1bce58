// The mailer: nodemailer over SMTP when SMTP_URL is set, otherwise .eml files in data/outbox/ (nodemailer's
// stream transport builds the same MIME message), so a fresh install works without a mail server.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** a stable name for the .eml file */
  fileStem?: string;
}

export interface SendResult {
  messageId: string;
  /** the .eml file (outbox mode), relative to the outbox folder */
  file: string | null;
}

export interface Mailer {
  mode: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<SendResult>;
  /** connects and authenticates without sending (SMTP); checks the folder is writable (file) */
  verify(): Promise<void>;
  close(): void;
}

export interface MailerTimeouts {
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export function outboxDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'outbox');
}

/** The mailer the settings ask for. */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>, timeouts: MailerTimeouts = {}): Mailer {
  const from = config.mailFrom;
  if (config.smtpUrl) {
    // one pooled connection: a campaign's mails reuse it instead of a new connection (and TLS handshake) per mail
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      url: config.smtpUrl,
      connectionTimeout: timeouts.connectionTimeout ?? 15_000,
      greetingTimeout: timeouts.greetingTimeout ?? 15_000,
      socketTimeout: timeouts.socketTimeout ?? 60_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return {
      mode: 'smtp',
      async send(mail) {
        const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
        return { messageId: String(info.messageId ?? ''), file: null };
      },
      async verify() {
        await transport.verify();
      },
      close: () => transport.close(),
    };
  }
  const dir = outboxDir(config);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', disableFileAccess: true, disableUrlAccess: true });
  return {
    mode: 'file',
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
      await mkdir(dir, { recursive: true });
      const file = `${(mail.fileStem ?? Date.now().toString()).replace(/[^A-Za-z0-9_-]/g, '_')}.eml`;
      await writeFile(path.join(dir, file), info.message as Buffer, { mode: 0o600 });
      return { messageId: String(info.messageId ?? ''), file };
    },
    async verify() {
      await mkdir(dir, { recursive: true });
    },
    close: () => transport.close(),
  };
}
