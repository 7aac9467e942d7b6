/**
 * `npm run bench` runs every benchmark; `npm run bench -- store` runs the named ones.
 * Each benchmark is a module exporting `run(): Promise<void>` that prints its own figures.
 */
const benchmarks: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  store: () => import('./store.js'),
  runtime: async () => {
    const mod = await import('./runtime.js');
    return { run: () => mod.runRuntimeBench({ ms: Number(process.env.BENCH_MS ?? 3000) }) };
  },
  cases: () => import('./cases.js'),
  http: () => import('./http.js'),
  casesList: () => import('./cases-list.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(benchmarks)) {
  console.log(`\n## ${name}`);
  const mod = await benchmarks[name]();
  await mod.run();
}
