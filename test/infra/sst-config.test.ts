/**
 * Offline review of sst.config.ts: its app() and run() are executed against a recording
 * stand-in for the SST globals (./sst-recorder.ts) for the `dev` and `production` stages, and
 * the recorded resources are checked for the wiring a deploy depends on. Nothing here talks to
 * AWS; what only a real deploy can show is listed in the README ("Deploy to AWS").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_ENV, INFERENCE_ENV, INVOKE_SERVER_ENV, SWEEPER_ENV, loadApiConfig, loadInferenceConfig } from '../../functions/src/config.ts';
import { uploadKeyOf } from '../../functions/src/api/context.ts';
import { ENGINES_KEY } from '../../functions/src/core/engines.ts';
import { activeKey, attemptPrefix, jobKey } from '../../functions/src/core/jobs.ts';
import { ObjectStore } from '../../functions/src/core/objects.ts';
import { eventKey, voidKey } from '../../functions/src/core/usage.ts';
import { webhookSecretKey } from '../../functions/src/core/webhook-secret.ts';
import { deliveryIndexPrefix, deliveryKey, dueKey } from '../../functions/src/core/webhooks.ts';
import { iamMatch } from './iam-proxy.ts';
import { installSstGlobals, resolveDeep, type Json, type Recorded } from './sst-recorder.ts';

/** Set by the Lambda runtime itself; a function configuration may not set them (reserved). */
const RUNTIME_PROVIDED = new Set(['AWS_REGION']);

interface Config {
  app(input: { stage: string }): { name: string; home: string; removal?: string; protect?: boolean; providers?: Record<string, unknown> };
  run(): Promise<unknown>;
}

let config: Config;
let uninstall = () => {};
const savedEnv = { ...process.env };

beforeAll(async () => {
  // $config must exist while sst.config.ts is imported; run() reads the other globals later.
  installSstGlobals('dev');
  config = (await import('../../sst.config.ts')).default as unknown as Config;
});

afterEach(() => {
  uninstall();
  for (const k of Object.keys(process.env)) if (k.startsWith('PROMPTSEG_')) delete process.env[k];
  Object.assign(process.env, savedEnv);
});

async function deploy(stage: string, env: Record<string, string> = {}) {
  uninstall();
  for (const k of Object.keys(process.env)) if (k.startsWith('PROMPTSEG_')) delete process.env[k];
  Object.assign(process.env, env);
  const app = config.app({ stage });
  const installed = installSstGlobals(stage, { removal: app.removal ?? 'retain', protect: app.protect ?? false });
  uninstall = installed.uninstall;
  const outputs = resolveDeep(await config.run());
  const { resources, lookups } = installed.recording;
  const all = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string, name: string): Recorded => {
    const r = resources.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type} named ${name}; recorded: ${resources.map((x) => `${x.type} ${x.name}`).join(', ')}`);
    return r;
  };
  const argsOf = (type: string, name: string) => obj(resolveDeep(one(type, name).args));
  return { app, outputs: obj(outputs), resources, lookups, all, one, argsOf };
}

function obj(v: Json | undefined): { [key: string]: Json } {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v;
}
function arr(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v)}`);
  return v;
}
function str(v: Json | undefined): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
const envOf = (fnArgs: { [key: string]: Json }) => obj(fnArgs.environment) as Record<string, Json>;

/** IAM statements of an SST Function (`permissions`) or an inline role policy (JSON document). */
function statementsOf(permissions: Json[]): { actions: string[]; resources: string[] }[] {
  return permissions.map((p) => {
    const o = obj(p);
    return { actions: arr(o.actions).map(str), resources: arr(o.resources).map(str) };
  });
}
function policyStatements(policyJson: string) {
  const doc = obj(JSON.parse(policyJson) as Json);
  return arr(doc.Statement).map((s) => {
    const o = obj(s);
    expect(o.Effect).toBe('Allow');
    return { actions: arr(o.Action).map(str), resources: arr(o.Resource).map(str) };
  });
}

const BUCKET_OBJECTS = 'arn:aws:s3:::<Data.name>/*';
const BUCKET = 'arn:aws:s3:::<Data.name>';
const OBJECT_RW = [
  { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [BUCKET_OBJECTS] },
  { actions: ['s3:ListBucket'], resources: [BUCKET] },
];

describe('app(): stages and retention', () => {
  it('production retains data and refuses `sst remove`; dev cleans up', () => {
    const prod = config.app({ stage: 'production' });
    expect(prod).toMatchObject({ name: 'promptseg', home: 'aws', removal: 'retain', protect: true });
    const dev = config.app({ stage: 'dev' });
    expect(dev).toMatchObject({ removal: 'remove', protect: false });
    // A personal stage behaves like dev.
    expect(config.app({ stage: 'alice' })).toMatchObject({ removal: 'remove', protect: false });
    expect(prod.providers).toHaveProperty('docker');
  });

  it('production never lets Pulumi empty the bucket; dev may', async () => {
    const prod = await deploy('production');
    expect(obj(obj(prod.argsOf('sst.aws.Bucket', 'Data').transform).bucket)).toEqual({ forceDestroy: false });
    expect(prod.argsOf('aws.ecr.Repository', 'InferenceRepo').forceDelete).toBe(false);
    uninstall();
    const dev = await deploy('dev');
    expect(obj(obj(dev.argsOf('sst.aws.Bucket', 'Data').transform).bucket)).toEqual({ forceDestroy: true });
  });
});

describe('run(): resources', () => {
  it('creates exactly the expected components (no GPU pieces unless asked for)', async () => {
    const d = await deploy('production');
    const names = d.resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(names).toEqual(
      [
        'aws.cloudwatch.LogGroup InferenceLogs',
        'aws.ecr.LifecyclePolicy InferenceRepoLifecycle',
        'aws.ecr.Repository InferenceRepo',
        'aws.iam.Role InferenceRole',
        'aws.iam.RolePolicy InferenceFanOut',
        'aws.iam.RolePolicy InferenceLogging',
        'aws.iam.RolePolicy InferencePolicy',
        'aws.lambda.Alias InferenceLive',
        'aws.lambda.Function Inference',
        'aws.lambda.FunctionEventInvokeConfig InferenceAsync',
        'aws.lambda.ProvisionedConcurrencyConfig InferenceWarm',
        'aws.s3.BucketServerSideEncryptionConfiguration DataEncryption',
        'docker.Image InferenceImage',
        'sst.Secret KeyPepper',
        'sst.aws.Bucket Data',
        'sst.aws.CronV2 Sweeper',
        'sst.aws.CronV2 Webhooks',
        'sst.aws.Function Api',
        'sst.aws.Router Router',
        'sst.aws.StaticSite Web',
      ].sort(),
    );
    expect(d.outputs).toMatchObject({ url: 'https://d111111abcdef8.cloudfront.net', api: 'https://d111111abcdef8.cloudfront.net', bucket: '<Data.name>' });
  });
});

describe('the bucket', () => {
  it('is private, HTTPS-only, encrypted with SSE-S3', async () => {
    const d = await deploy('production');
    const b = d.argsOf('sst.aws.Bucket', 'Data');
    expect(b.access).toBeUndefined(); // no public or CloudFront read access
    expect(b.enforceHttps).toBe(true);
    // SST adds a public access block unless transform.publicAccessBlock is false.
    expect(obj(b.transform).publicAccessBlock).toBeUndefined();
    expect(d.argsOf('aws.s3.BucketServerSideEncryptionConfiguration', 'DataEncryption')).toEqual({
      bucket: '<Data.name>',
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
  });

  it('allows presigned uploads from the page origin only (plus local dev origins in dev)', async () => {
    const prod = await deploy('production');
    const cors = obj(prod.argsOf('sst.aws.Bucket', 'Data').cors);
    expect(cors.allowOrigins).toEqual(['https://d111111abcdef8.cloudfront.net']);
    expect(arr(cors.allowMethods)).toEqual(expect.arrayContaining(['PUT', 'POST', 'GET']));
    expect(arr(cors.allowMethods)).not.toContain('DELETE');
    expect(arr(cors.allowHeaders)).toContain('content-type');
    uninstall();
    const dev = await deploy('dev');
    expect(obj(dev.argsOf('sst.aws.Bucket', 'Data').cors).allowOrigins).toEqual([
      'https://d111111abcdef8.cloudfront.net',
      'http://localhost:5173',
      'http://127.0.0.1:7860',
    ]);
  });

  it("lets the page's own presigned uploads (POST form, PUT) and downloads (GET) through S3's CORS check, and nothing else", async () => {
    const d = await deploy('production');
    const rule = corsRule(obj(d.argsOf('sst.aws.Bucket', 'Data').cors));
    const page = 'https://d111111abcdef8.cloudfront.net';
    // What the service hands the page, from the real presigner (offline: static credentials).
    const store = new ObjectStore({ bucket: 'promptseg-prod', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const post = await store.presignPost('uploads/t/upl_x', 'image/png', 20 << 20, 900);
    const put = await store.presignPut('uploads/t/upl_x', 'image/png', 1234, 900);
    // POST: the policy travels as form fields (no request headers): a simple request, no preflight.
    expect(Object.keys(post.fields)).toEqual(expect.arrayContaining(['Policy', 'X-Amz-Signature', 'Content-Type', 'key']));
    expect(s3CorsAllows(rule, { origin: page, method: 'POST', headers: [] })).toBe(true);
    // PUT (web/src/api/client.ts sends the presign's headers): a preflight naming every header a
    // browser may set itself (Content-Length is the browser's own).
    const putHeaders = Object.keys(put.headers).map((h) => h.toLowerCase()).filter((h) => !FORBIDDEN_REQUEST_HEADERS.has(h));
    expect(putHeaders).toContain('content-type');
    expect(s3CorsAllows(rule, { origin: page, method: 'PUT', headers: putHeaders })).toBe(true);
    // SDK-style extras (checksums, SSE) stay possible; presigned downloads are plain GETs.
    expect(s3CorsAllows(rule, { origin: page, method: 'PUT', headers: ['content-type', 'x-amz-checksum-crc32'] })).toBe(true);
    expect(s3CorsAllows(rule, { origin: page, method: 'GET', headers: [] })).toBe(true);
    // ETag readable by the page (upload confirmation), and the preflight cached.
    expect(rule.exposeHeaders.map((h) => h.toLowerCase())).toContain('etag');
    expect(rule.maxAgeSeconds).toBeGreaterThan(0);
    // Another site, deletes, or arbitrary headers are refused.
    expect(s3CorsAllows(rule, { origin: 'https://evil.example', method: 'POST', headers: [] })).toBe(false);
    expect(s3CorsAllows(rule, { origin: page, method: 'DELETE', headers: [] })).toBe(false);
    expect(s3CorsAllows(rule, { origin: page, method: 'PUT', headers: ['content-type', 'authorization'] })).toBe(false);
  });

  it('expires uploads and job results after the configured days, and never keys or billing records', async () => {
    const d = await deploy('production');
    const rules = arr(d.argsOf('sst.aws.Bucket', 'Data').lifecycle).map(obj);
    expect(rules).toEqual([
      { id: 'expire-uploads', prefix: 'uploads/', expiresIn: '1 days' },
      { id: 'expire-jobs-and-results', prefix: 'jobs/', expiresIn: '30 days' },
      { id: 'expire-webhook-deliveries', prefix: 'webhooks/', expiresIn: '30 days' },
    ]);
    // The prefixes are the ones the service writes (functions/src), so the rules bite.
    const covered = (key: string) => rules.some((r) => key.startsWith(str(r.prefix)));
    expect(covered(uploadKeyOf('t1', 'upl_x'))).toBe(true);
    expect(covered(jobKey('t1', 'job_x'))).toBe(true);
    expect(covered(`${attemptPrefix('t1', 'job_x', 1)}result.json`)).toBe(true);
    expect(covered(deliveryKey('t1', 'msg_x'))).toBe(true);
    expect(covered(`${deliveryIndexPrefix('t1')}0000000000001-msg_x`)).toBe(true);
    // The tenants' signing secrets outlive any job.
    expect(covered(webhookSecretKey('t1'))).toBe(false);
    // Billing events, API keys, in-flight markers and model files are never expired.
    expect(covered(eventKey({ tenant: 't1', day: '2026-01-01', eventId: 'e', keyId: 'k', engine: 'lite', kind: 'job' }))).toBe(false);
    expect(covered('keys/key_abc.json')).toBe(false);
    expect(covered(activeKey('t1', 'job_x'))).toBe(false);
    expect(covered('models/sam3/vision-encoder.onnx')).toBe(false);
    expect(covered(ENGINES_KEY)).toBe(false); // the engine report GET /v1/health reads
    for (const r of rules) expect(str(r.prefix).length).toBeGreaterThan(1); // an empty prefix would expire everything
  });

  it('takes retention days from a deploy-time override, and rejects nonsense', async () => {
    const d = await deploy('production', { PROMPTSEG_RESULT_RETENTION_DAYS: '90', PROMPTSEG_UPLOAD_RETENTION_DAYS: '2' });
    const rules = arr(d.argsOf('sst.aws.Bucket', 'Data').lifecycle).map(obj);
    expect(rules.map((r) => r.expiresIn)).toEqual(['2 days', '90 days', '90 days']);
    uninstall();
    await expect(deploy('production', { PROMPTSEG_RESULT_RETENTION_DAYS: '0' })).rejects.toThrow(/PROMPTSEG_RESULT_RETENTION_DAYS must be a whole number >= 1/);
    await expect(deploy('production', { PROMPTSEG_PROVISIONED: 'two' })).rejects.toThrow(/PROMPTSEG_PROVISIONED must be a whole number/);
  });
});

describe('the inference function', () => {
  it('runs the container image with sizing stated in sst.config.ts', async () => {
    const d = await deploy('production');
    const fn = d.argsOf('aws.lambda.Function', 'Inference');
    expect(fn).toMatchObject({
      packageType: 'Image',
      imageUri: '<InferenceImage.repository>@sha256:0123456789abcdef',
      architectures: ['x86_64'],
      memorySize: 4096,
      timeout: 120,
      ephemeralStorage: { size: 2048 },
      role: '<InferenceRole.arn>',
      publish: true,
    });
    const img = d.argsOf('docker.Image', 'InferenceImage');
    expect(obj(img.build)).toEqual({ context: '.', dockerfile: 'functions/Dockerfile', target: 'lambda', platform: 'linux/amd64' });
  });

  it('may read and write objects in the bucket, write its own logs and invoke its own live alias (video fan-out), nothing more', async () => {
    const d = await deploy('production');
    const trust = obj(JSON.parse(str(d.argsOf('aws.iam.Role', 'InferenceRole').assumeRolePolicy)) as Json);
    expect(arr(trust.Statement).map(obj).map((s) => s.Principal)).toEqual([{ Service: 'lambda.amazonaws.com' }]);
    const policies = d.all('aws.iam.RolePolicy').filter((r) => obj(resolveDeep(r.args)).role === '<InferenceRole.name>');
    expect(policies.map((p) => p.name).sort()).toEqual(['InferenceFanOut', 'InferenceLogging', 'InferencePolicy']);
    // video fan-out: it may invoke its own live alias, nothing else
    expect(policyStatements(str(d.argsOf('aws.iam.RolePolicy', 'InferenceFanOut').policy))).toEqual([{ actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:us-east-1:123456789012:function:<InferenceLive.functionName>:live'] }]);
    expect(policyStatements(str(d.argsOf('aws.iam.RolePolicy', 'InferencePolicy').policy))).toEqual(OBJECT_RW);
    expect(policyStatements(str(d.argsOf('aws.iam.RolePolicy', 'InferenceLogging').policy))).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<InferenceLogs.arn>:*'] },
    ]);
    expect(d.all('aws.iam.RolePolicyAttachment')).toEqual([]); // no managed policies
  });

  it('keeps one environment warm in production, none in dev, and warms the alias the API calls', async () => {
    const prod = await deploy('production');
    expect(prod.argsOf('aws.lambda.ProvisionedConcurrencyConfig', 'InferenceWarm')).toEqual({
      functionName: '<Inference.name>',
      qualifier: '<InferenceLive.name>',
      provisionedConcurrentExecutions: 1,
    });
    expect(prod.argsOf('aws.lambda.Alias', 'InferenceLive')).toEqual({ functionName: '<Inference.name>', functionVersion: '7', name: 'live' });
    uninstall();
    const dev = await deploy('dev');
    expect(dev.all('aws.lambda.ProvisionedConcurrencyConfig')).toEqual([]);
    uninstall();
    const warmDev = await deploy('dev', { PROMPTSEG_PROVISIONED: '2', PROMPTSEG_RESERVED: '5' });
    expect(warmDev.argsOf('aws.lambda.ProvisionedConcurrencyConfig', 'InferenceWarm').provisionedConcurrentExecutions).toBe(2);
    expect(warmDev.argsOf('aws.lambda.Function', 'Inference').reservedConcurrentExecutions).toBe(5);
  });

  it('with SAM 3 enabled: the largest memory, disk for the model files, and the model store prefix', async () => {
    const d = await deploy('production', { PROMPTSEG_SAM3: 'true' });
    const fn = d.argsOf('aws.lambda.Function', 'Inference');
    expect(fn).toMatchObject({ memorySize: 10240, ephemeralStorage: { size: 8192 }, timeout: 300 });
    const env = obj(obj(fn.environment).variables);
    expect(env.PROMPTSEG_SAM3_S3_PREFIX).toBe('s3://<Data.name>/models/sam3/');
    expect(Number(env.PROMPTSEG_JOB_TIMEOUT_S)).toBeGreaterThanOrEqual(300);
  });
});

describe('the API function', () => {
  it('runs the Hono Lambda entry on Node 20 behind the Router under /v1', async () => {
    const d = await deploy('production');
    const api = d.argsOf('sst.aws.Function', 'Api');
    expect(api.handler).toBe('functions/src/api/handler.handler');
    expect(api.runtime).toBe('nodejs20.x');
    const url = obj(api.url);
    expect(obj(url.router)).toMatchObject({ path: '/v1', readTimeout: '45 seconds' });
    expect(obj(url.router).rewrite).toBeUndefined(); // Hono's own /v1 paths reach it unchanged
    expect(api.link).toBeUndefined(); // linking the bucket would grant s3:*
  });

  it('may use the bucket objects and invoke the live inference alias, nothing more', async () => {
    const d = await deploy('production');
    const api = d.argsOf('sst.aws.Function', 'Api');
    const alias = 'arn:aws:lambda:us-east-1:123456789012:function:<InferenceLive.functionName>:live';
    expect(statementsOf(arr(api.permissions))).toEqual([...OBJECT_RW, { actions: ['lambda:InvokeFunction'], resources: [alias] }]);
    expect(envOf(api).PROMPTSEG_INFERENCE_FUNCTION).toBe(alias);
  });

  it('waits longer than the synchronous route promises, and CloudFront waits longer still', async () => {
    const d = await deploy('production');
    const api = d.argsOf('sst.aws.Function', 'Api');
    const sync = Number(envOf(api).PROMPTSEG_SYNC_TIMEOUT_S);
    const fnTimeout = Number(str(api.timeout).split(' ')[0]);
    const routerTimeout = Number(str(obj(obj(api.url).router).readTimeout).split(' ')[0]);
    expect(sync).toBe(25);
    expect(fnTimeout).toBeGreaterThan(sync);
    expect(routerTimeout).toBeGreaterThan(sync);
    expect(routerTimeout).toBeLessThanOrEqual(60); // CloudFront's origin response timeout limit
  });
});

describe('the sweeper', () => {
  it('runs sweep.ts sweepHandler every minute on Node 20, with time to finish a long listing', async () => {
    const d = await deploy('production');
    const cron = d.argsOf('sst.aws.CronV2', 'Sweeper');
    expect(cron.schedule).toBe('rate(1 minute)');
    expect(cron.enabled).toBeUndefined(); // SST default: enabled
    const fn = obj(cron.function);
    expect(fn).toMatchObject({ handler: 'functions/src/api/sweep.sweepHandler', runtime: 'nodejs20.x', architecture: 'arm64' });
    const [file, exported] = str(fn.handler).split(/\.(?=[^.]+$)/);
    const entry = join(import.meta.dirname, '../..', `${file}.ts`);
    expect(existsSync(entry), entry).toBe(true);
    expect(typeof ((await import(/* @vite-ignore */ pathToFileURL(entry).href)) as Record<string, unknown>)[exported ?? '']).toBe('function');
    const [n, unit] = str(fn.timeout).split(' ');
    const seconds = Number(n) * (unit?.startsWith('minute') ? 60 : 1);
    expect(seconds).toBeGreaterThanOrEqual(60);
    expect(seconds).toBeLessThanOrEqual(900); // Lambda's limit
    expect(fn.link).toBeUndefined(); // linking the bucket would grant s3:*
  });

  it('may touch only job records, in-flight markers and void markers, and invoke the live alias', async () => {
    const d = await deploy('production');
    const fn = obj(d.argsOf('sst.aws.CronV2', 'Sweeper').function);
    const alias = 'arn:aws:lambda:us-east-1:123456789012:function:<InferenceLive.functionName>:live';
    const statements = statementsOf(arr(fn.permissions));
    expect(statements).toEqual([
      { actions: ['s3:ListBucket'], resources: [BUCKET] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: [`${BUCKET}/jobs/*`] },
      { actions: ['s3:PutObject'], resources: [`${BUCKET}/usage/*`] },
      { actions: ['s3:DeleteObject'], resources: [`${BUCKET}/active/*`] },
      { actions: ['lambda:InvokeFunction'], resources: [alias] },
    ]);
    expect(envOf(fn).PROMPTSEG_INFERENCE_FUNCTION).toBe(alias);
    // The prefixes are the service's own key layout (test/infra/sweeper.test.ts runs the real
    // sweepHandler behind these statements).
    const may = (action: string, key: string) => statements.some((st) => st.actions.includes(action) && st.resources.some((r) => iamMatch(r, `${BUCKET}/${key}`)));
    const ref = { tenant: 't1', day: '2026-01-01', eventId: 'job_x', keyId: 'k', engine: 'lite', kind: 'job' as const };
    expect(may('s3:PutObject', jobKey('t1', 'job_x'))).toBe(true);
    expect(may('s3:PutObject', voidKey(ref))).toBe(true);
    expect(may('s3:DeleteObject', activeKey('t1', 'job_x'))).toBe(true);
    expect(may('s3:GetObject', uploadKeyOf('t1', 'upl_x'))).toBe(false);
    expect(may('s3:GetObject', 'keys/key_abc.json')).toBe(false);
    expect(may('s3:DeleteObject', jobKey('t1', 'job_x'))).toBe(false);
    expect(may('s3:PutObject', eventKey(ref))).toBe(true); // same prefix as void markers; it never writes events
  });
});

describe('the webhook deliverer', () => {
  it('runs webhooks/handler.ts deliverHandler every minute on Node 20, outside any VPC, with time for a full run', async () => {
    for (const extra of [{}, { PROMPTSEG_GPU_INSTANCE_TYPE: 'g5.xlarge' }] as Record<string, string>[]) {
      const d = await deploy('production', extra);
      const cron = d.argsOf('sst.aws.CronV2', 'Webhooks');
      expect(cron.schedule).toBe('rate(1 minute)');
      const fn = obj(cron.function);
      expect(fn).toMatchObject({ handler: 'functions/src/webhooks/handler.deliverHandler', runtime: 'nodejs20.x', architecture: 'arm64' });
      const [file, exported] = str(fn.handler).split(/\.(?=[^.]+$)/);
      const entry = join(import.meta.dirname, '../..', `${file}.ts`);
      expect(existsSync(entry), entry).toBe(true);
      const mod = (await import(/* @vite-ignore */ pathToFileURL(entry).href)) as Record<string, unknown>;
      expect(typeof mod[exported ?? '']).toBe('function');
      // A run polls for up to RUN_BUDGET_MS plus one attempt's timeout: the function must outlast it.
      const [n, unit] = str(fn.timeout).split(' ');
      const seconds = Number(n) * (unit?.startsWith('minute') ? 60 : 1);
      const timeoutS = Number(envOf(fn).PROMPTSEG_WEBHOOK_TIMEOUT_S);
      expect(seconds).toBeGreaterThan(Number(mod.RUN_BUDGET_MS) / 1000 + timeoutS);
      // Receivers are on the internet: the GPU variant's VPC (no NAT) would cut them off.
      expect(fn.vpc).toBeUndefined();
      expect(fn.link).toBeUndefined();
      // Same variables and values as the API; production never allows loopback receivers.
      expect(envOf(fn)).toEqual(envOf(d.argsOf('sst.aws.Function', 'Api')));
      expect(envOf(fn).PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK).toBe('false');
    }
  });

  it('may touch only delivery records, due markers, and read jobs and signing secrets', async () => {
    const d = await deploy('production');
    const fn = obj(d.argsOf('sst.aws.CronV2', 'Webhooks').function);
    const statements = statementsOf(arr(fn.permissions));
    expect(statements).toEqual([
      { actions: ['s3:ListBucket'], resources: [BUCKET] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: [`${BUCKET}/webhooks/*`] },
      { actions: ['s3:DeleteObject'], resources: [`${BUCKET}/webhooks-due/*`] },
      { actions: ['s3:GetObject'], resources: [`${BUCKET}/jobs/*`, `${BUCKET}/tenants/*`] },
    ]);
    // The prefixes are the service's own key layout (test/infra/webhooks.test.ts runs the real
    // deliverHandler behind these statements).
    const may = (action: string, key: string) => statements.some((st) => st.actions.includes(action) && st.resources.some((r) => iamMatch(r, `${BUCKET}/${key}`)));
    expect(may('s3:PutObject', deliveryKey('t1', 'msg_x'))).toBe(true);
    expect(may('s3:DeleteObject', dueKey('t1', 'msg_x'))).toBe(true);
    expect(may('s3:GetObject', jobKey('t1', 'job_x'))).toBe(true);
    expect(may('s3:GetObject', webhookSecretKey('t1'))).toBe(true);
    expect(may('s3:PutObject', jobKey('t1', 'job_x'))).toBe(false);
    expect(may('s3:PutObject', webhookSecretKey('t1'))).toBe(false);
    expect(may('s3:GetObject', 'keys/key_abc.json')).toBe(false);
    expect(may('s3:GetObject', uploadKeyOf('t1', 'upl_x'))).toBe(false);
    expect(statements.flatMap((st) => st.actions)).not.toContain('lambda:InvokeFunction');
  });
});

describe('environment variables match functions/src/config.ts both ways', () => {
  for (const stage of ['dev', 'production']) {
    it(`${stage}: the API sets exactly what API_ENV reads, and the values load`, async () => {
      const d = await deploy(stage);
      const env = envOf(d.argsOf('sst.aws.Function', 'Api'));
      const read = API_ENV.map((v) => v.name).filter((n) => !RUNTIME_PROVIDED.has(n));
      expect(Object.keys(env).sort()).toEqual([...new Set(read)].sort());
      for (const v of API_ENV) if (v.required === 'always') expect(str(env[v.name]).length).toBeGreaterThan(0);
      expect(env.PROMPTSEG_KEY_PEPPER).toBe('<secret:KeyPepper>'); // from sst.Secret, never a literal
      expect(env.PROMPTSEG_BUCKET).toBe('<Data.name>');
      // The API's own loader accepts every value (the pepper stands in for a real 64-hex secret).
      const plain = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)]));
      const loaded = loadApiConfig({ ...plain, PROMPTSEG_KEY_PEPPER: 'f'.repeat(64), AWS_REGION: 'us-east-1' });
      expect(loaded.storage).toEqual({ bucket: '<Data.name>', region: 'us-east-1', endpoint: undefined, publicEndpoint: undefined });
      expect(loaded.lambdaEndpoint).toBeUndefined();
      expect(loaded.corsOrigins[0]).toBe('https://d111111abcdef8.cloudfront.net');
      // status_url and friends point at the Router, not at the function URL the Host names.
      expect(env.PROMPTSEG_PUBLIC_URL).toBe('https://d111111abcdef8.cloudfront.net');
      expect(loaded.publicUrl).toBe('https://d111111abcdef8.cloudfront.net');
    });

    it(`${stage}: the sweeper sets exactly what SWEEPER_ENV reads — the API's own values`, async () => {
      const d = await deploy(stage);
      const fn = obj(d.argsOf('sst.aws.CronV2', 'Sweeper').function);
      const env = envOf(fn);
      const read = SWEEPER_ENV.map((v) => v.name).filter((n) => !RUNTIME_PROVIDED.has(n));
      expect(Object.keys(env).sort()).toEqual([...new Set(read)].sort());
      expect(env).toEqual(envOf(d.argsOf('sst.aws.Function', 'Api')));
      const plain = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)]));
      expect(loadApiConfig({ ...plain, PROMPTSEG_KEY_PEPPER: 'f'.repeat(64) }).inferenceFunction).toBe(env.PROMPTSEG_INFERENCE_FUNCTION);
    });

    it(`${stage}: the inference function sets exactly what INFERENCE_ENV reads, and the values load`, async () => {
      const d = await deploy(stage);
      const fn = d.argsOf('aws.lambda.Function', 'Inference');
      const env = obj(obj(fn.environment).variables);
      const read = INFERENCE_ENV.map((v) => v.name).filter((n) => !RUNTIME_PROVIDED.has(n));
      expect(Object.keys(env).sort()).toEqual([...new Set(read)].sort());
      const plain = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)]));
      const loaded = loadInferenceConfig({ ...plain, AWS_REGION: 'us-east-1' });
      expect(loaded.storage.bucket).toBe('<Data.name>');
      expect(loaded.device).toBe('cpu'); // Lambda has no GPU
      expect(loaded.modelDir.startsWith('/tmp/')).toBe(true); // the only writable path in Lambda
      // The job lease must outlast one attempt of the function (config.ts: keep it >= the timeout).
      expect(loaded.jobTimeoutMs / 1000).toBeGreaterThanOrEqual(Number(fn.timeout));
      // Both functions agree on the job policy.
      const apiEnv = envOf(d.argsOf('sst.aws.Function', 'Api'));
      expect(apiEnv.PROMPTSEG_JOB_TIMEOUT_S).toBe(env.PROMPTSEG_JOB_TIMEOUT_S);
      expect(apiEnv.PROMPTSEG_JOB_MAX_ATTEMPTS).toBe(env.PROMPTSEG_JOB_MAX_ATTEMPTS);
    });
  }
});

describe('the web page', () => {
  it('is built by Vite from web/ with the API URL injected, behind the same Router', async () => {
    const d = await deploy('production');
    const web = d.argsOf('sst.aws.StaticSite', 'Web');
    expect(web).toMatchObject({ path: 'web', build: { command: 'npm run build', output: 'dist' }, environment: { VITE_API_URL: 'https://d111111abcdef8.cloudfront.net' } });
    const routerOfWeb = one(d.one('sst.aws.StaticSite', 'Web').args, 'router');
    const routerOfApi = one(one(d.one('sst.aws.Function', 'Api').args, 'url'), 'router');
    expect(one(routerOfWeb, 'instance')).toBe(one(routerOfApi, 'instance')); // the very same Router object
  });
});

describe('the GPU variant', () => {
  it('runs the gpu image target on ECS/EC2 GPU capacity behind an internal load balancer the API calls', async () => {
    const d = await deploy('production', { PROMPTSEG_GPU_INSTANCE_TYPE: 'g5.xlarge' });
    expect(d.lookups).toContainEqual({ fn: 'aws.ssm.getParameterOutput', args: { name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id' } });
    expect(d.argsOf('aws.ec2.LaunchTemplate', 'GpuLaunchTemplate').instanceType).toBe('g5.xlarge');
    const task = d.argsOf('aws.ecs.TaskDefinition', 'GpuTask');
    expect(task.requiresCompatibilities).toEqual(['EC2']);
    const [container] = arr(JSON.parse(str(task.containerDefinitions)) as Json).map(obj);
    expect(container?.resourceRequirements).toEqual([{ type: 'GPU', value: '1' }]);
    expect(container?.command).toEqual(['node', 'dist/invoke-server.mjs']);
    expect(obj(d.argsOf('docker.Image', 'InferenceGpuImage').build).target).toBe('gpu');
    // The container gets exactly what its entry reads (INVOKE_SERVER_ENV: the inference
    // function's variables, the port, and the region ECS does not provide), on CUDA.
    const containerEnv = Object.fromEntries(arr(container?.environment).map((e) => [str(obj(e).name), str(obj(e).value)]));
    expect(Object.keys(containerEnv).sort()).toEqual([...new Set(INVOKE_SERVER_ENV.map((v) => v.name))].sort());
    const inferenceEnv = obj(obj(d.argsOf('aws.lambda.Function', 'Inference').environment).variables);
    for (const [k, v] of Object.entries(inferenceEnv)) if (k !== 'PROMPTSEG_DEVICE') expect(containerEnv[k], k).toBe(v);
    expect(containerEnv.PROMPTSEG_DEVICE).toBe('cuda');
    expect(inferenceEnv.PROMPTSEG_DEVICE).toBe('cpu');
    expect(containerEnv.AWS_REGION).toBe('us-east-1');
    expect(loadInferenceConfig(containerEnv).device).toBe('cuda');
    // The port it listens on is the one the task maps and the load balancer checks.
    const port = Number(containerEnv.PROMPTSEG_INVOKE_PORT);
    expect(arr(container?.portMappings).map((m) => obj(m).containerPort)).toEqual([port]);
    expect(d.argsOf('aws.lb.TargetGroup', 'GpuTargets').port).toBe(port);
    expect(d.argsOf('aws.lb.LoadBalancer', 'GpuLb').internal).toBe(true);
    expect(policyStatements(str(d.argsOf('aws.iam.RolePolicy', 'GpuTaskPolicy').policy))).toEqual(OBJECT_RW);
    // The API dispatches to the load balancer with the same Lambda Invoke API, from inside the VPC.
    const api = d.argsOf('sst.aws.Function', 'Api');
    expect(envOf(api).PROMPTSEG_LAMBDA_ENDPOINT).toBe('http://<GpuLb.dnsName>');
    expect(api.vpc).toBeDefined();
    expect(statementsOf(arr(api.permissions))).toEqual(OBJECT_RW);
    // The sweeper re-dispatches the same way: inside the VPC, no Lambda permission.
    const sweeper = obj(d.argsOf('sst.aws.CronV2', 'Sweeper').function);
    expect(sweeper.vpc).toBeDefined();
    expect(statementsOf(arr(sweeper.permissions)).flatMap((st) => st.actions)).not.toContain('lambda:InvokeFunction');
    expect(envOf(sweeper).PROMPTSEG_LAMBDA_ENDPOINT).toBe('http://<GpuLb.dnsName>');
  });

  it('rejects an instance type that is not one', async () => {
    await expect(deploy('production', { PROMPTSEG_GPU_INSTANCE_TYPE: 'big gpu' })).rejects.toThrow(/PROMPTSEG_GPU_INSTANCE_TYPE must be an EC2 instance type/);
  });
});

/** A property of a recorded (unresolved) argument object, kept as-is so identity can be compared. */
function one(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') throw new Error(`expected an object holding ${key}`);
  return (value as Record<string, unknown>)[key];
}

/** Request headers a page cannot set (the browser drops them; they never appear in a preflight). */
const FORBIDDEN_REQUEST_HEADERS = new Set(['content-length', 'host', 'connection', 'origin', 'referer', 'cookie', 'date', 'expect', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via']);

interface CorsRule {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number;
}

/** The one rule SST's Bucket creates from `cors` (bucket.ts createCorsRule: these fields, "* " defaults). */
function corsRule(cors: { [key: string]: Json }): CorsRule {
  const list = (v: Json | undefined, fallback: string[]) => (v === undefined ? fallback : arr(v).map(str));
  const [n, unit] = str(cors.maxAge ?? '0 seconds').split(' ');
  const scale: Record<string, number> = { second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };
  return {
    allowOrigins: list(cors.allowOrigins, ['*']),
    allowMethods: list(cors.allowMethods, ['DELETE', 'GET', 'HEAD', 'POST', 'PUT']),
    allowHeaders: list(cors.allowHeaders, ['*']),
    exposeHeaders: list(cors.exposeHeaders, ['ETag']),
    maxAgeSeconds: Number(n) * (scale[unit ?? ''] ?? NaN),
  };
}

/**
 * S3's CORS evaluation of one rule (docs: "How does Amazon S3 evaluate the CORS configuration on a
 * bucket?"): the Origin must match an AllowedOrigin, the (preflight's requested) method an
 * AllowedMethod, and every requested header an AllowedHeader; each entry may hold one `*`.
 * Header names compare case-insensitively.
 */
function s3CorsAllows(rule: CorsRule, req: { origin: string; method: string; headers: string[] }): boolean {
  const wild = (pattern: string, value: string, ci = false) => iamMatch(ci ? pattern.toLowerCase() : pattern, ci ? value.toLowerCase() : value);
  return (
    rule.allowOrigins.some((o) => wild(o, req.origin)) &&
    rule.allowMethods.includes(req.method) &&
    req.headers.every((h) => rule.allowHeaders.some((a) => wild(a, h, true)))
  );
}
