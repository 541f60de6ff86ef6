// Chinese and mixed prompts through the service, end to end on 127.0.0.1 (real s3rver + gate,
// Lambda Invoke endpoint, inference worker, API over HTTP): a job whose prompt is Chinese returns
// the same concept statuses and the same instances (label, score, box, area, mask) as the job with
// the English equivalent on the same uploaded image, keeps the prompt as written (UTF-8 both
// ways), and says per instance which translation it went through.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instance, JobView, SegmentResult } from '@promptseg/shared';
import { startTestStack, type Client, type TestStack } from './service-kit.js';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../web/public/samples/${name}`, import.meta.url)));

let stack: TestStack;
let api: Client;
const uploads = new Map<string, string>();

beforeAll(async () => {
  stack = await startTestStack();
  api = stack.client(await stack.newKey());
  for (const name of ['astronaut.png', 'chelsea.png', 'coffee.png']) uploads.set(name, await api.uploadOk(sample(name), 'image/png'));
});
afterAll(async () => {
  await stack?.teardown();
});

/** A job's result document (JobView types it loosely: the API does not re-validate it). */
const asResult = (doc: Record<string, unknown>) => doc as unknown as SegmentResult;

/** One job through POST /v1/jobs + polling; the result of a succeeded job. */
async function job(image: string, prompt: string, extra: Record<string, unknown> = {}): Promise<SegmentResult> {
  const created = await api.createJob({ upload_key: uploads.get(image), prompt, threshold: 0.3, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const done = await api.waitJob(created.body.job_id);
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  if (!done.result) throw new Error('a succeeded job without a result');
  return asResult(done.result);
}

/** What must not depend on the language of the prompt. */
const statuses = (r: SegmentResult) => r.concepts.map((c) => ({ status: c.status, label: c.label }));
const instances = (list: Instance[]) => list.map((i) => ({ label: i.label, score: i.score, box: i.box, area: i.area, rle: i.rle }));

async function sameAsEnglish(image: string, chinese: string, english: string, extra: Record<string, unknown> = {}) {
  const zh = await job(image, chinese, extra);
  const en = await job(image, english, extra);
  expect(zh.prompt).toBe(chinese);
  expect(statuses(zh)).toEqual(statuses(en));
  expect(instances(zh.instances)).toEqual(instances(en.instances));
  return { zh, en };
}

describe('Chinese prompts through the API give the same result as English ones', () => {
  it('"人，脸、头发" (full-width punctuation) = "person, face, hair" on the astronaut', async () => {
    const { zh } = await sameAsEnglish('astronaut.png', '人，脸、头发', 'person, face, hair');
    expect(zh.concepts.map((c) => c.text)).toEqual(['人', '脸', '头发']);
    expect(zh.instances.map((i) => i.label)).toEqual(expect.arrayContaining(['person', 'face', 'hair']));
    const person = zh.instances.find((i) => i.label === 'person');
    expect(person).toMatchObject({ concept: '人', why: { matched: '人', via: '人 → person', source: 'centernet: person' } });
  });

  it('"人, 狗" = "person, dog": a concept that is understood but absent finds nothing in both', async () => {
    const { zh } = await sameAsEnglish('astronaut.png', '人, 狗', 'person, dog', { engine: 'lite' });
    expect(statuses(zh)).toEqual([{ status: 'ok', label: 'person' }, { status: 'ok', label: 'dog' }]);
    expect(zh.instances.filter((i) => i.label === 'dog')).toEqual([]);
    expect(zh.instances.some((i) => i.label === 'person')).toBe(true);
  });

  it('a count and a mixed prompt: "两只猫" = "two cats", "cat, 杯子" = "cat, cup" on chelsea', async () => {
    const { zh } = await sameAsEnglish('chelsea.png', '两只猫', 'two cats');
    expect(zh.instances.length).toBeGreaterThan(0);
    expect(zh.instances.length).toBeLessThanOrEqual(2);
    await sameAsEnglish('chelsea.png', 'cat, 杯子', 'cat, cup');
  });

  it('"红色的车, 左边的杯子" = "red car, cup on the left" through the synchronous route', async () => {
    const sync = async (prompt: string) => {
      const r = await api.request<JobView>('POST', '/v1/segment', { upload_key: uploads.get('coffee.png'), prompt, threshold: 0.3 });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      if (!r.body.result) throw new Error('sync answer without a result');
      return asResult(r.body.result);
    };
    const zh = await sync('红色的车, 左边的杯子');
    const en = await sync('red car, cup on the left');
    expect(statuses(zh)).toEqual(statuses(en));
    expect(statuses(zh)).toEqual([{ status: 'ok', label: 'car' }, { status: 'ok', label: 'cup' }]);
    expect(instances(zh.instances)).toEqual(instances(en.instances));
    expect(zh.instances[0]).toMatchObject({ label: 'cup', concept: '左边的杯子', why: { rank: 1 } });
  });

  it('a Chinese word lite does not know is reported unknown with a message, and the job still succeeds', async () => {
    const r = await job('chelsea.png', '猫, 麒麟');
    expect(r.concepts[0]).toMatchObject({ text: '猫', status: 'ok', label: 'cat' });
    expect(r.concepts[1]).toMatchObject({ text: '麒麟', status: 'unknown', message: expect.stringMatching(/vocabulary/) });
    expect(r.instances.map((i) => i.label)).toEqual(['cat']);
  });
});
