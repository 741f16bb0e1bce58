// A real SMTP server (the nodemailer project's smtp-server) for tests, keeping what arrives parsed by mailparser.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface Received {
  from: string;
  rcpt: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtp {
  url: string;
  port: number;
  received: Received[];
  /** answer RCPT for these addresses with this error */
  refuseRcpt: Map<string, { code: number; message: string }>;
  /** when set, every DATA after this many accepted mails is answered with this error */
  failAfter: { count: number; code: number; message: string } | null;
  close(): Promise<void>;
  /** waits until `n` mails have arrived */
  waitFor(n: number, ms?: number): Promise<void>;
}

export async function startSmtp(opts: { user?: string; pass?: string; port?: number } = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const refuseRcpt = new Map<string, { code: number; message: string }>();
  const state: TestSmtp = {
    url: '', port: 0, received, refuseRcpt, failAfter: null,
    close: async () => undefined,
    waitFor: async () => undefined,
  };
  const options: SMTPServerOptions = {
    secure: false,
    disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !opts.user,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) return cb(null, { user: auth.username });
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const refuse = refuseRcpt.get(address.address);
      if (refuse) return cb(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failAfter && received.length >= state.failAfter.count) {
          return cb(Object.assign(new Error(state.failAfter.message), { responseCode: state.failAfter.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcpt: session.envelope.rcptTo.map((r) => r.address), raw, parsed,
          });
          cb();
        }, (err) => cb(err as Error));
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  state.port = port;
  state.url = opts.user ? `smtp://${opts.user}:${opts.pass}@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  state.waitFor = async (n, ms = 5000) => {
    const until = Date.now() + ms;
    while (received.length < n) {
      if (Date.now() > until) throw new Error(`expected ${n} mails, got ${received.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return state;
}

/** A port nobody listens on (for "the server is gone"). */
export async function closedPort(): Promise<number> {
  const s = await startSmtp();
  const port = s.port;
  await s.close();
  return port;
}
