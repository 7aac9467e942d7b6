import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/config.js';
import { renderErrorDocs } from '../src/errors/docs.js';

const target = path.join(repoRoot, 'docs', 'errors.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderErrorDocs());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
