import { describe, expect, it } from 'vitest';
import { createKeepingStyleCache } from '../../src/layout/style-cache';

// The hook of @ant-design/cssinjs counts uses per key: mount adds 1, the last unmount's updater returns null.
const mount = (cache: ReturnType<typeof createKeepingStyleCache>, key: string, build: () => string) =>
  cache.opUpdate(key, (prev) => [(prev?.[0] ?? 0) + 1, prev?.[1] ?? build()]);
const unmount = (cache: ReturnType<typeof createKeepingStyleCache>, key: string) =>
  cache.opUpdate(key, (prev) => (prev && prev[0] - 1 > 0 ? [prev[0] - 1, prev[1]] : null));

describe('antd style cache that keeps generated CSS', () => {
  it('keeps a component style after its last instance unmounts, so a remount does not generate it again', () => {
    const cache = createKeepingStyleCache();
    let generated = 0;
    const build = () => `.ant-input{color:red} /* ${++generated} */`;
    mount(cache, 'style%css-dev%Input', build);
    unmount(cache, 'style%css-dev%Input');
    expect(cache.opGet('style%css-dev%Input')).toEqual([0, '.ant-input{color:red} /* 1 */']);
    mount(cache, 'style%css-dev%Input', build);
    expect(generated).toBe(1);
    expect(cache.opGet('style%css-dev%Input')?.[0]).toBe(1);
  });

  it('keeps CSS variable entries but still drops other entries (theme tokens) at their last unmount', () => {
    const cache = createKeepingStyleCache();
    mount(cache, 'cssVar%Input%token1', () => '--ant-input: 1');
    mount(cache, 'token%abc', () => 'token');
    unmount(cache, 'cssVar%Input%token1');
    unmount(cache, 'token%abc');
    expect(cache.opGet('cssVar%Input%token1')).toEqual([0, '--ant-input: 1']);
    expect(cache.opGet('token%abc')).toBeNull();
  });
});
