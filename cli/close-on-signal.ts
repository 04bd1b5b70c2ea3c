import type { KetwinOptions } from './options.ts';

/**
 * Closes on SIGINT or SIGTERM. Everything is closed then, so the process ends by itself; if a handle is
 * still open 10 s later, says so and goes.
 */
export function closeOnSignal(options: KetwinOptions, closing: { close(): Promise<void> }, stopped: () => Record<string, unknown>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    closing.close().then(
      () => {
        options.logger.info(stopped(), 'stopped');
        setTimeout(() => {
          options.logger.error('a handle was still open 10 s after shutdown; exiting anyway');
          process.exit(1);
        }, 10_000).unref();
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
