import { buildApp } from './app.js';
import { loadConfig } from './config.js';

// Reads configuration, builds the app and listens; everything else lives in buildApp.
const config = loadConfig();
const app = await buildApp({ config });

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
  // close() stops accepting connections, lets in-flight requests finish and runs onClose hooks (store, queue).
  const timer = setTimeout(() => {
    app.log.error('shutdown took over 25 s; exiting');
    process.exit(1);
  }, 25_000);
  timer.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.error({ err }, 'could not start');
  process.exit(1);
}
