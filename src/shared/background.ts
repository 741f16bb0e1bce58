// One background loop for the queues in the database (the mail outbox, webhook deliveries): runs a step every few
// seconds and when kicked, never two at once, and stops cleanly (waits for the running step). A failing step (the
// database busy during an import, or gone) is logged with its stack through the process log — once while it keeps
// failing the same way, again when it fails differently or after it has worked — and tried again next time.
import { logError } from '../log.js';

export interface BackgroundLoop {
  /** runs the step now, unless it is running already */
  kick(): void;
  stop(): Promise<void>;
}

export function startBackgroundLoop(
  step: () => Promise<unknown>,
  opts: { name: string; intervalMs: number; before?: Promise<unknown> },
): BackgroundLoop {
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastLogged: string | null = null;
  const failed = (what: string) => (err: unknown) => {
    const text = `${what}: ${String((err as Error)?.message ?? err)}`;
    if (text === lastLogged) return;
    lastLogged = text;
    logError(err, { job: opts.name }, `${opts.name}: ${what} failed`);
  };
  const run = () => {
    if (running || stopped) return;
    running = step()
      .then(() => { lastLogged = null; }, failed('step'))
      .finally(() => (running = null));
  };
  const started = (opts.before ?? Promise.resolve()).catch(failed('start')).then(run);
  const timer = setInterval(run, opts.intervalMs);
  timer.unref();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await started;
      await running;
    },
  };
}
