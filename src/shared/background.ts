// One background loop for the queues in the database (the mail outbox, webhook deliveries): runs a step every few
// seconds and when kicked, never two at once, and stops cleanly (waits for the running step).
export interface BackgroundLoop {
  /** runs the step now, unless it is running already */
  kick(): void;
  stop(): Promise<void>;
}

export function startBackgroundLoop(
  step: () => Promise<unknown>,
  opts: { intervalMs: number; onError: (err: unknown) => void; before?: Promise<unknown> },
): BackgroundLoop {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = step()
      .then(() => undefined, opts.onError)
      .finally(() => (running = null));
  };
  const started = (opts.before ?? Promise.resolve()).catch(() => undefined).then(run);
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
