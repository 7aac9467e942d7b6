// `node --import tsx runtime-ui/bench/form-profile.ts`: where the time of a keystroke in the largest form goes.
// Types into the first text field of the largest application form in Chromium with the CPU profiler on, and prints
// the functions by self time and by total time (a function's own time plus what it calls, counted once per stack).
// For readable names, build an unminified copy and point PROFILE_UI_DIR at it:
//   (cd runtime-ui && npx vite build --outDir /tmp/mf-ui-prof --minify false) && PROFILE_UI_DIR=/tmp/mf-ui-prof ...
// PROFILE_FORM=<item key> profiles another form; PROFILE_TOP=<n> prints more rows; PROFILE_WHAT=render profiles the
// form's first render (five navigations from the catalog) instead of keystrokes; PROFILE_OUT=<file> saves the raw profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startUiServer, TEST_DEMO_PASSWORD } from '../test/e2e/harness.ts';
import { largestForm } from './largest-form.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = Number(process.env.PROFILE_TOP) || 25;

function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url ? path.basename(new URL(f.url, 'http://x').pathname) : '';
    return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const name = label(node);
    if (['(idle) ', '(program) ', '(garbage collector) '].includes(name) && name === '(idle) ') return;
    all += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const file = node.callFrame.url ? path.basename(new URL(node.callFrame.url, 'http://x').pathname) : name;
    byFile.set(file, (byFile.get(file) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  });
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${((100 * ms) / all).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  console.log(`busy time sampled: ${all.toFixed(1)} ms`);
  print('by self time', self);
  print('by file (self time; with PROFILE_UI_DIR the chunks name their modules)', byFile);
  print('by total time', total);
}

const key = process.env.PROFILE_FORM || largestForm().key;
const ui = await startUiServer({
  config: process.env.PROFILE_UI_DIR ? { runtimeUiDir: path.resolve(process.env.PROFILE_UI_DIR) } : {},
});
try {
  const ctx = await ui.newContext();
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const res = await ctx.request.post('/api/auth/login', {
    data: { username: 'village', password: TEST_DEMO_PASSWORD },
  });
  if (!res.ok()) throw new Error(`login: ${res.status()}`);
  const page = await ctx.newPage();
  await page.goto(`/app/apply/${key}`);
  const input = page.locator('form input.ant-input[type="text"], form input.ant-input:not([type])').first();
  await input.waitFor();
  await input.click();
  await page.keyboard.type('warm', { delay: 60 });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  if (process.env.PROFILE_WHAT === 'render') {
    // The form's first render, five times: to the catalog and back, as a click in the catalog does it.
    for (let i = 0; i < 5; i++) {
      await page.evaluate(async (url) => {
        const go = (to: string) => {
          history.pushState(null, '', to);
          dispatchEvent(new PopStateEvent('popstate'));
        };
        go('/app/catalog');
        await new Promise((r) => setTimeout(r, 100));
        go(url);
      }, `/app/apply/${key}`);
      await page.getByTestId('apply-submit').waitFor();
      await page.waitForTimeout(200);
    }
  } else {
    await page.keyboard.type(' Ma Fucheng 13830012345 huishi', { delay: 60 });
  }
  await page.waitForTimeout(300);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  // PROFILE_OUT=<file.cpuprofile>: the raw profile too (Chrome DevTools opens it).
  if (process.env.PROFILE_OUT) fs.writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  console.log(
    `form ${key}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  summarise(profile);
} finally {
  await ui.close();
}
