// npm run seed:demo -- --size 1k|100k|1m [--data-dir ./data] [--inbox-user township --tasks 10000]
// Fills the store with realistic demo cases; see engine/src/seed/demo-cases.ts and README (demo data).
import { main } from '../engine/src/seed/cli.js';

process.exitCode = await main(process.argv.slice(2));
