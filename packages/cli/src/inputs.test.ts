import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from './inputs.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'promptseg-inputs-'));
  for (const f of ['photos/a.jpg', 'photos/b.PNG', 'photos/notes.txt', 'photos/trip/c.webp', 'photos/.hidden.jpg', 'other/a.png', 'other/d.jpg', 'x.jpg', 'x.png']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'not really an image');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stems = (r: Awaited<ReturnType<typeof expandInputs>>) => Object.fromEntries(r.images.map((i) => [i.display, i.stem]));

describe('expandInputs', () => {
  it('takes the images of a folder and its subfolders, keeping the subfolders in the output names', async () => {
    const r = await expandInputs(['photos'], root);
    expect(stems(r)).toEqual({ 'photos/a.jpg': 'a', 'photos/b.PNG': 'b', 'photos/trip/c.webp': 'trip/c' });
    expect(r.missing).toEqual([]);
    expect(r.images.every((i) => i.file.startsWith(root))).toBe(true);
  });

  it('expands globs from their fixed part and takes files as given', async () => {
    const r = await expandInputs(['other/*.jpg', 'photos/trip/c.webp'], root);
    expect(stems(r)).toEqual({ 'other/d.jpg': 'd', 'photos/trip/c.webp': 'c' });
  });

  it('gives colliding names distinct stems, the same on every run', async () => {
    const r = await expandInputs(['x.png', 'x.jpg', 'photos/a.jpg', 'other/a.png'], root);
    expect(stems(r)).toEqual({ 'x.jpg': 'x-jpg', 'x.png': 'x-png', 'photos/a.jpg': 'a-jpg', 'other/a.png': 'a-png' });
    const again = await expandInputs(['other/a.png', 'photos/a.jpg', 'x.jpg', 'x.png'], root);
    expect(stems(again)).toEqual(stems(r));
  });

  it('lists an image named twice (file + folder) once', async () => {
    const r = await expandInputs(['photos/a.jpg', 'photos', 'photos/*.jpg'], root);
    expect(r.images.map((i) => i.display).sort()).toEqual(['photos/a.jpg', 'photos/b.PNG', 'photos/trip/c.webp']);
  });

  it('reports paths and patterns that match nothing, keeping the rest', async () => {
    const r = await expandInputs(['nope.jpg', 'photos/*.gif', 'x.jpg'], root);
    expect(r.images.map((i) => i.display)).toEqual(['x.jpg']);
    expect(r.missing.map((m) => [m.arg, m.error.code])).toEqual([['nope.jpg', 'file_not_found'], ['photos/*.gif', 'file_not_found']]);
    expect(r.missing[0].error.message).toMatch(/no such file/);
    expect(r.missing[1].error.hint).toMatch(/quote/);
  });
});
