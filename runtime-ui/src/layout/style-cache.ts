import { createCache } from '@ant-design/cssinjs';

/**
 * antd's CSS-in-JS cache, keeping a component's generated styles after its last instance unmounts.
 *
 * By default @ant-design/cssinjs drops a cache entry when no mounted component uses it (the <style> element
 * stays in the page), so every visit to a form regenerates the CSS of Form, Input, Select, DatePicker, ... from
 * the theme tokens: about a fifth of a large form's render in Chromium profiles. Entries for component styles
 * (`style%…`) and their CSS variables (`cssVar%…`) are kept with a use count of 0 instead, so a remount only
 * re-attaches the already generated text. They are a bounded set: one per component and theme.
 */
export function createKeepingStyleCache(): ReturnType<typeof createCache> {
  const cache = createCache();
  const opUpdate = cache.opUpdate.bind(cache);
  cache.opUpdate = (keyPath: string, valueFn: Parameters<typeof opUpdate>[1]) =>
    opUpdate(keyPath, (prev) => {
      const next = valueFn(prev);
      if (next === null && prev && (keyPath.startsWith('style%') || keyPath.startsWith('cssVar%'))) return [0, prev[1]];
      return next;
    });
  return cache;
}
