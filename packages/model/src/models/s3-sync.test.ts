/**
 * The hosted inference function's model copy: a model folder under an S3 prefix → local disk,
 * driven with the real @aws-sdk/client-s3 against s3rver on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSam3Fixture } from '../../test/sam3-fixture/index.js';
import { Sam3Engine } from '../engines/sam3/engine.js';
import { registerModelDir } from './register.js';
import { syncModelFromS3, syncModelFromS3Once } from './s3-sync.js';
import { ModelStore } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'sam3-s3-'));
let s3rver: S3rver;
let client: S3Client;
const bucket = 'models';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(root, 's3rver'), configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await s3rver.run();
  client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  // A model folder as the service would upload it: a pulled install copied as-is. Here the files
  // sit beside the manifest (dir "files") like a pulled install's relative folder.
  const src = join(root, 'export');
  writeSam3Fixture(join(src, 'files'), { layout: 'A' });
  const home = join(root, 'home');
  await registerModelDir({ dir: join(src, 'files'), home });
  const manifest = JSON.parse(readFileSync(join(new ModelStore(home).modelDir('sam3'), 'manifest.json'), 'utf8'));
  const upload = { ...manifest, dir: 'files', registered: false };
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'sam3/v1/manifest.json', Body: JSON.stringify(upload) }));
  for (const path of walk(join(src, 'files'))) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `sam3/v1/files/${relative(join(src, 'files'), path)}`, Body: readFileSync(path) }));
  }
});

afterAll(async () => {
  client?.destroy();
  await s3rver?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('syncModelFromS3', () => {
  it('copies the model folder to local disk, where the engine loads it; a second copy fetches nothing', async () => {
    const localDir = join(root, 'tmp-1', 'sam3');
    const first = await syncModelFromS3({ client, bucket, prefix: 'sam3/v1', localDir });
    expect(first.copied.sort()).toEqual(['files/geo-encoder-mask-decoder.onnx', 'files/text-encoder.onnx', 'files/tokenizer.json', 'files/tokenizer_config.json', 'files/vision-encoder.onnx', 'manifest.json']);
    expect(first.copied.at(-1)).toBe('manifest.json'); // written last: a reader that sees it sees every file
    const engine = await Sam3Engine.create({ modelDir: localDir });
    expect(engine.model.layout.id).toBe('A');
    await engine.release();
    const second = await syncModelFromS3({ client, bucket, prefix: 'sam3/v1/', localDir });
    expect(second.copied).toEqual([]);
    expect(second.skipped).toHaveLength(6);
  });

  it('runs once per process for the same prefix and folder (a warm container), concurrent callers share it', async () => {
    const localDir = join(root, 'tmp-2', 'sam3');
    const [a, b] = await Promise.all([syncModelFromS3Once({ client, bucket, prefix: 'sam3/v1', localDir }), syncModelFromS3Once({ client, bucket, prefix: 'sam3/v1', localDir })]);
    expect(a).toBe(b);
    expect(await syncModelFromS3Once({ client, bucket, prefix: 'sam3/v1', localDir })).toBe(a);
    expect(a.copied).toHaveLength(6);
  });

  it('says what is wrong when the prefix holds no model folder, and forgets the failure', async () => {
    const o = { client, bucket, prefix: 'nothing-here/', localDir: join(root, 'tmp-3') };
    await expect(syncModelFromS3Once(o)).rejects.toMatchObject({ code: 'model_missing', message: expect.stringContaining('has no manifest.json') });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'nothing-here/manifest.json', Body: '{}' }));
    await expect(syncModelFromS3Once(o)).resolves.toMatchObject({ copied: ['manifest.json'] });
  });
});
