import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

interface Asset {
  file: string;
  bytes: number;
  gzip: number;
  initial: boolean;
}

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/**
 * Prints what a browser downloads: every JS/CSS file with its gzip size, and the total of the first load
 * (the entry chunk, the chunks it imports statically and their CSS; lazy routes come later). The figures
 * are also written to dist/bundle-report.json so a benchmark or CI can compare builds.
 */
export function bundleReport(name: string): Plugin {
  let outDir = 'dist';
  return {
    name: 'minflow-bundle-report',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((o): o is typeof o & ChunkLike => o.type === 'chunk');
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        const chunk = chunks.find((c) => c.fileName === fileName);
        if (!chunk) return;
        for (const css of chunk.viteMetadata?.importedCss ?? []) initial.add(css);
        for (const imp of chunk.imports) visit(imp);
      };
      for (const c of chunks) if (c.isEntry) visit(c.fileName);

      const assets: Asset[] = [];
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const buf = fs.readFileSync(path.join(outDir, file));
        const gz = zlib.gzipSync(buf, { level: 9 });
        // Written beside the file: the engine serves it to every browser that accepts gzip (preCompressed),
        // so the gzip size printed here is what really travels, with no compression work per request.
        fs.writeFileSync(path.join(outDir, `${file}.gz`), gz);
        assets.push({ file, bytes: buf.length, gzip: gz.length, initial: initial.has(file) });
      }
      assets.sort((a, b) => b.gzip - a.gzip);
      const sum = (list: Asset[], k: 'bytes' | 'gzip') => list.reduce((s, a) => s + a[k], 0);
      const first = assets.filter((a) => a.initial);
      const width = Math.max(...assets.map((a) => a.file.length), 10);
      const lines = [
        '',
        `Bundle sizes for ${name} (gzip is what travels over the wire; * = part of the first load)`,
        ...assets.map(
          (a) =>
            `  ${a.initial ? '*' : ' '} ${a.file.padEnd(width)}  ${kb(a.bytes).padStart(10)}  gzip ${kb(a.gzip).padStart(9)}`,
        ),
        `  first load: ${kb(sum(first, 'bytes'))} (gzip ${kb(sum(first, 'gzip'))}) in ${first.length} files`,
        `  all JS/CSS: ${kb(sum(assets, 'bytes'))} (gzip ${kb(sum(assets, 'gzip'))}) in ${assets.length} files`,
        '',
      ];
      // MINFLOW_BUNDLE_REPORT=summary (the test harness) prints the two totals only.
      const summary = process.env.MINFLOW_BUNDLE_REPORT === 'summary';
      console.log((summary ? [lines[1], ...lines.slice(-3)] : lines).join('\n'));
      fs.writeFileSync(
        path.join(outDir, 'bundle-report.json'),
        `${JSON.stringify(
          {
            app: name,
            firstLoad: { bytes: sum(first, 'bytes'), gzip: sum(first, 'gzip'), files: first.length },
            total: { bytes: sum(assets, 'bytes'), gzip: sum(assets, 'gzip'), files: assets.length },
            assets,
          },
          null,
          2,
        )}\n`,
      );
    },
  };
}
