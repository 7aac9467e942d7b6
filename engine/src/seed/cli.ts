import { parseArgs } from 'node:util';
import { isMinflowError } from '../errors/registry.js';
import { seedDemoCases } from './demo-cases.js';

const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

export const USAGE = `npm run seed:demo -- --size 1k|10k|100k|1m|<n> [--data-dir ./data] [--inbox-user township --tasks 10000] [--templates 1500] [--seed 1]`;

/** Parses `--size 100k` style sizes (1k, 100k, 1m or a plain number). */
export function parseSize(text: string): number {
  const key = text.trim().toLowerCase();
  if (SIZES[key]) return SIZES[key];
  const n = Number(key.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > 5_000_000)
    throw new Error(`--size: 1k, 10k, 100k, 1m or a number (got ${text})`);
  return n;
}

/** `npm run seed:demo`: fills the store (embedded by default) with demo cases and prints what it did. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '1k' },
      'data-dir': { type: 'string' },
      'inbox-user': { type: 'string' },
      tasks: { type: 'string' },
      templates: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const report = await seedDemoCases({
      size: parseSize(values.size as string),
      dataDir: values['data-dir'],
      inboxUser: values['inbox-user'],
      inboxTasks: values.tasks ? Number(values.tasks) : values['inbox-user'] ? 10_000 : undefined,
      templates: values.templates ? Number(values.templates) : undefined,
      seed: values.seed ? Number(values.seed) : undefined,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    const lines = [
      `演示案件 / demo cases: ${report.cases} (${report.engineCases} through the engine, ${report.copies} copies) in ${report.seconds.toFixed(1)} s`,
      `  by status: ${JSON.stringify(report.byStatus)}`,
      `  by item:   ${JSON.stringify(report.byItem)}`,
    ];
    if (report.inbox) lines.push(`  ${report.inbox.username} 待办 / open tasks: ${report.inbox.openTasks}`);
    if (report.stuck) lines.push(`  ${report.stuck} case(s) stopped off their plan (left as the engine had them)`);
    if (report.createdUsers.length) {
      lines.push(
        `  staff users added for the other units: ${report.createdUsers.length} (e.g. ${report.createdUsers[0]})`,
      );
      if (report.generatedPassword) lines.push(`  their password (shown once): ${report.generatedPassword}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (isMinflowError(err)) {
      process.stderr.write(
        `${err.code}: ${err.message}\n${(err.details ?? []).map((d) => `  ${d.message}`).join('\n')}\n`,
      );
    } else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
