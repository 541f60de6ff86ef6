/**
 * `npm run bench`: the lite engine on the sample images (not a test; numbers vary with the CPU).
 * Per image, REPEAT rounds of: empty embedding cache -> first prompt from the file's bytes (up to
 * 3 concepts) -> exports (json + overlay, the CLI default) -> a re-prompt on the cached
 * embedding. Medians are printed per stage, with the ratio of end-to-end time to the sum of
 * model session times (ONNX Runtime + TensorFlow.js runs).
 *
 *   PROMPTSEG_BENCH_REPEAT=5 npm run bench
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clearEmbeddingCache, exportOutputs, segment, warmup } from '@promptseg/model';

const SAMPLES = fileURLToPath(new URL('../../web/public/samples/', import.meta.url));
const REPEAT = Math.max(1, Number(process.env.PROMPTSEG_BENCH_REPEAT) || 3);

/** [file, first prompt (<= 3 concepts), re-prompt]. */
const CASES: [string, string, string][] = [
  ['astronaut.png', 'person, face, hair', 'person on the left'],
  ['chelsea.png', 'cat', 'animal'],
  ['coffee.png', 'cup, spoon, dining table', 'cup'],
  ['horse.png', 'horse', 'large horse'],
  ['rocket.jpg', 'person, car, truck', 'airplane'],
];

const TARGET = { first: 1000, reprompt: 150, ratio: 1.15 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  image: string;
  size: string;
  decode: number;
  encode: number;
  detect: number;
  people: number;
  decodeMasks: number;
  postprocess: number;
  outputs: number;
  first: number;
  firstBest: number;
  sessions: number;
  reprompt: number;
  repromptBest: number;
  instances: string;
}

async function benchImage(file: string, first: string, again: string): Promise<Row> {
  const bytes = await readFile(SAMPLES + file);
  const runs: Omit<Row, 'image' | 'size' | 'instances' | 'firstBest' | 'repromptBest'>[] = [];
  let size = '', instances = '';
  for (let r = 0; r < REPEAT; r++) {
    clearEmbeddingCache();
    const t0 = performance.now();
    const a = await segment(bytes, first);
    const tOut = performance.now();
    await exportOutputs(a, ['json', 'overlay'], file.replace(/\.\w+$/, ''));
    const outputs = performance.now() - tOut;
    const firstMs = tOut - t0;
    const t1 = performance.now();
    const b = await segment(bytes, again);
    const repromptMs = performance.now() - t1;
    if (b.result.cache?.embedding !== 'hit') throw new Error(`re-prompt on ${file} missed the embedding cache`);
    const t = a.result.timings_ms;
    size = `${a.result.image.width}x${a.result.image.height}`;
    instances = a.result.instances.map((i) => `${i.label} ${i.score.toFixed(2)}`).join(', ') || '-';
    runs.push({
      decode: t.decode,
      encode: t.encode,
      detect: t.detect,
      people: t.people ?? 0,
      decodeMasks: t.decode_masks,
      postprocess: t.postprocess,
      outputs,
      first: firstMs,
      sessions: t.model_sessions,
      reprompt: repromptMs,
    });
  }
  const m = (k: keyof (typeof runs)[number]) => median(runs.map((x) => x[k]));
  return {
    image: file, size, instances,
    decode: m('decode'), encode: m('encode'), detect: m('detect'), people: m('people'), decodeMasks: m('decodeMasks'),
    postprocess: m('postprocess'), outputs: m('outputs'), first: m('first'), sessions: m('sessions'), reprompt: m('reprompt'),
    firstBest: Math.min(...runs.map((x) => x.first)), repromptBest: Math.min(...runs.map((x) => x.reprompt)),
  };
}

function table(rows: Row[]): string {
  const head = ['image', 'size', 'decode', 'encode', 'detect', 'people', 'mask dec', 'postproc', 'first e2e', 'best', 'sessions', 'e2e/sess', 'outputs', 're-prompt', 'best'];
  const lines = rows.map((r) => [
    r.image, r.size, r.decode, r.encode, r.detect, r.people, r.decodeMasks, r.postprocess, r.first, r.firstBest, r.sessions, r.first / r.sessions, r.outputs, r.reprompt, r.repromptBest,
  ].map((v, i) => (typeof v === 'number' ? (i === 11 ? v.toFixed(2) : v.toFixed(0)) : v)));
  const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells: (string | number)[]) => cells.map((c, i) => (i < 2 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join('  ');
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  console.log(`lite bench — ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}, ${REPEAT} rounds, medians in ms ("best": fastest round)`);
  const w = await warmup('lite');
  console.log(`cold start (warmup: create every session, run each model once): ${w.ms.toFixed(0)} ms\n`);
  const rows: Row[] = [];
  for (const [file, first, again] of CASES) {
    const row = await benchImage(file, first, again);
    rows.push(row);
    console.error(`  ${file}: "${first}" -> ${row.instances}; re-prompt "${again}"`);
  }
  console.log(table(rows));
  const worst = {
    first: Math.max(...rows.map((r) => r.first)),
    reprompt: Math.max(...rows.map((r) => r.reprompt)),
    ratio: Math.max(...rows.map((r) => r.first / r.sessions)),
  };
  const verdict = (v: number, t: number, unit = ' ms') => `${unit === 'x' ? v.toFixed(2) : v.toFixed(0)}${unit === 'x' ? 'x' : unit} (target ${unit === 'x' ? `${t}x` : `${t}${unit}`}: ${v <= t ? 'met' : `missed by ${unit === 'x' ? (v - t).toFixed(2) : (v - t).toFixed(0)}`})`;
  console.log(`\nworst first prompt ${verdict(worst.first, TARGET.first)}; worst re-prompt ${verdict(worst.reprompt, TARGET.reprompt)}; worst e2e/sessions ${verdict(worst.ratio, TARGET.ratio, 'x')}`);
  console.log(`load average after: ${loadavg().map((v) => v.toFixed(2)).join(' ')} (other processes on the CPU inflate every number)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
