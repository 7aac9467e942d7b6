// `node --import tsx runtime-ui/bench/form-trace.ts`: where the largest form's first render goes by browser phase
// (script, style recalculation, layout, paint), from a Chromium trace of five client-side navigations from the
// catalog to the form (the route's code already loaded). Complements form-profile.ts, whose JavaScript profile
// shows layout forced from script but not the rest of the rendering pipeline. PROFILE_UI_DIR and PROFILE_FORM as
// there; PROFILE_WHAT=keys traces 30 keystrokes in the form's first text field instead (time per key).
import path from 'node:path';
import { startUiServer, TEST_DEMO_PASSWORD } from '../test/e2e/harness.ts';
import { largestForm } from './largest-form.ts';

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  ts: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

/** Phases by trace event name (nested events are counted in their own phase and left out of their parent's). */
const PHASES: Record<string, string> = {
  UpdateLayoutTree: 'style recalculation',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  'Document::updateStyle': 'style recalculation',
  ParseAuthorStyleSheet: 'style sheet parsing',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  EventDispatch: 'script',
  'v8.run': 'script',
  MajorGC: 'garbage collection',
  MinorGC: 'garbage collection',
  'V8.GC_SCAVENGER': 'garbage collection',
};

const key = process.env.PROFILE_FORM || largestForm().key;
const ui = await startUiServer({
  config: process.env.PROFILE_UI_DIR ? { runtimeUiDir: path.resolve(process.env.PROFILE_UI_DIR) } : {},
});
try {
  const ctx = await ui.newContext();
  const res = await ctx.request.post('/api/auth/login', {
    data: { username: 'village', password: TEST_DEMO_PASSWORD },
  });
  if (!res.ok()) throw new Error(`login: ${res.status()}`);
  const page = await ctx.newPage();
  await page.goto(`/app/apply/${key}`);
  await page.getByTestId('apply-submit').waitFor();
  const browser = ctx.browser();
  if (!browser) throw new Error('no browser');
  const totals = new Map<string, number>();
  const keys = process.env.PROFILE_WHAT === 'keys';
  const runs = keys ? 30 : 5;
  const traced = async (act: () => Promise<void>): Promise<TraceEvent[]> => {
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'],
    });
    await act();
    return (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  };
  const samples: TraceEvent[][] = [];
  if (keys) {
    await page.getByTestId('form-rest-pending').waitFor({ state: 'detached' });
    await page.locator('form input.ant-input[type="text"], form input.ant-input:not([type])').first().click();
    samples.push(
      await traced(async () => {
        await page.keyboard.type('Ma Fucheng 13830012345 huishi', { delay: 60 });
        await page.waitForTimeout(200);
      }),
    );
  }
  for (let i = 0; i < (keys ? 0 : runs); i++) {
    await page.evaluate(async () => {
      history.pushState(null, '', '/app/catalog');
      dispatchEvent(new PopStateEvent('popstate'));
      await new Promise((r) => setTimeout(r, 300));
    });
    samples.push(
      await traced(async () => {
        await page.evaluate((url) => {
          history.pushState(null, '', url);
          dispatchEvent(new PopStateEvent('popstate'));
        }, `/app/apply/${key}`);
        await page.getByTestId('apply-submit').waitFor();
        await page.waitForTimeout(300);
      }),
    );
  }
  for (const events of samples) {
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const onMain = events
      .filter((e) => e.ph === 'X' && e.pid === main?.pid && e.tid === main?.tid && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // Self time per phase: walk the nesting, a child's time leaves its nearest phased ancestor.
    const stack: { end: number; phase: string | null }[] = [];
    const add = (phase: string, us: number) => totals.set(phase, (totals.get(phase) ?? 0) + us / 1000 / runs);
    for (const e of onMain) {
      while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
      const phase = PHASES[e.name] ?? (e.name === 'RunTask' ? 'other (tasks)' : null);
      const parent = [...stack].reverse().find((s) => s.phase !== null);
      if (phase) {
        add(phase, e.dur ?? 0);
        if (parent?.phase) add(parent.phase, -(e.dur ?? 0));
      }
      stack.push({ end: e.ts + (e.dur ?? 0), phase });
    }
  }
  console.log(`form ${key}: main-thread time per ${keys ? 'keystroke' : 'render'} by phase (mean of ${runs})`);
  for (const [phase, ms] of [...totals].sort((a, b) => b[1] - a[1]))
    console.log(`  ${phase.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms`);
} finally {
  await ui.close();
}
