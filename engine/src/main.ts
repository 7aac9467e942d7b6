import cluster, { type Worker } from 'node:cluster';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/**
 * `MINFLOW_WORKERS` (default 1): how many engine processes serve the port (node:cluster; the
 * primary only hands out connections and restarts a worker that dies). They share the store as
 * any two engines do: the embedded SQLite file (WAL; one version-checked write per transition,
 * audit appends inside that write) or MongoDB, and the queue (store-leased jobs, or Bull).
 * The first worker starts alone (it seeds an empty store and imports the definitions), the
 * others once it listens.
 */
const workers = Number.parseInt(process.env.MINFLOW_WORKERS ?? '1', 10);

if (workers > 1 && cluster.isPrimary) runPrimary(workers);
else await runEngine();

function runPrimary(count: number): void {
  let stopping = false;
  let started = false;
  const live = new Set<Worker>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    live.add(worker);
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) process.exit(0);
        return;
      }
      if (!started) {
        // The first worker could not start (configuration, port taken, store unavailable): no restart loop.
        console.error(`engine worker ${worker.process.pid} exited (${signal ?? code}) before listening`);
        process.exit(1);
      }
      console.error(`engine worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      setTimeout(fork, 1000);
    });
    return worker;
  };
  cluster.on('listening', (worker, address) => {
    console.log(`minflow: engine worker ${worker.process.pid} listening on ${address.address}:${address.port}`);
  });
  fork().once('listening', () => {
    started = true;
    for (let i = 1; i < count; i++) fork();
  });
  function stop(): void {
    if (stopping) return;
    stopping = true;
    if (live.size === 0) process.exit(0);
    for (const worker of live) worker.process.kill('SIGTERM');
  }
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function runEngine(): Promise<void> {
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
}
