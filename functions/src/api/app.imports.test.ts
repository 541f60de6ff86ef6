// The API function must stay light enough for an edge runtime: its import graph (following our
// own files and workspace packages) may reach only Web-standard code, hono, the AWS SDK, zod and
// @promptseg/shared — never @promptseg/model, sharp, onnxruntime or Node built-ins.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const WORKSPACES: Record<string, string> = {
  '@promptseg/shared': join(root, 'packages/shared/src/index.ts'),
  '@promptseg/model': join(root, 'packages/model/src/index.ts'),
};
const ALLOWED_PACKAGES = [/^hono(\/|$)/, /^@aws-sdk\//, /^zod(\/|$)/];

function specifiers(source: string): string[] {
  const out: string[] = [];
  // import … from '…', export … from '…', import '…', import('…')
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function resolveLocal(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`cannot resolve ${spec} from ${relative(root, from)}`);
}

/** Every file and external package reachable from the entry points, with the path that reached it. */
function walk(entries: string[]): { files: Set<string>; violations: string[] } {
  const files = new Set<string>();
  const violations: string[] = [];
  const stack = entries.map((f) => ({ file: f, via: [relative(root, f)] }));
  while (stack.length) {
    const { file, via } = stack.pop() as { file: string; via: string[] };
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const next = resolveLocal(file, spec);
        stack.push({ file: next, via: [...via, relative(root, next)] });
      } else if (WORKSPACES[spec]) {
        if (spec === '@promptseg/model') violations.push(`${via.join(' → ')} → ${spec}`);
        else stack.push({ file: WORKSPACES[spec], via: [...via, spec] });
      } else if (!ALLOWED_PACKAGES.some((p) => p.test(spec))) {
        violations.push(`${via.join(' → ')} → ${spec}`);
      }
    }
  }
  return { files, violations };
}

function apiEntries(): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
    }
  };
  visit(here);
  return out;
}

describe('API import graph (edge-safe)', () => {
  it('reaches no model code, no sharp/onnxruntime and no Node built-ins', () => {
    const { files, violations } = walk(apiEntries());
    expect(files.size).toBeGreaterThan(10);
    expect(violations).toEqual([]);
  });

  it('the checker itself catches a forbidden import', () => {
    expect(specifiers(`import sharp from 'sharp';\nexport { x } from "@promptseg/model";\nconst m = await import('node:fs');`)).toEqual(['sharp', '@promptseg/model', 'node:fs']);
    const inference = join(root, 'functions/src/inference/run-job.ts');
    const { violations } = walk([inference]);
    expect(violations.some((v) => v.endsWith('@promptseg/model'))).toBe(true);
  });
});
