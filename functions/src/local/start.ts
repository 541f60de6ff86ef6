/**
 * `npm start`: local mode (see stack.ts). Every setting has a default (config.ts, LOCAL_ENV and
 * API_ENV/INFERENCE_ENV); the printed dev key is created on the first start and reused after.
 */
import { LOCAL_ENV, envNumber, envString, processEnv } from '../config.js';
import { startLocalStack } from './stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const env = processEnv();
const v = (name: string) => envString(LOCAL_ENV, env, name);
const n = (name: string) => envNumber(LOCAL_ENV, env, name);
const log = (line: string) => console.log(`[local] ${line}`);

async function main(): Promise<void> {
  const dataDir = v('PROMPTSEG_DATA_DIR');
  const stack = await startLocalStack({
    dataDir,
    host: v('PROMPTSEG_HOST'),
    apiPort: n('PROMPTSEG_PORT'),
    s3Port: n('PROMPTSEG_S3_PORT'),
    lambdaPort: n('PROMPTSEG_LAMBDA_PORT'),
    webDir: v('PROMPTSEG_WEB_DIR'),
    concurrency: Math.max(1, n('PROMPTSEG_LOCAL_CONCURRENCY')),
    env,
    warm: true,
    log,
  });
  const lines = [
    '',
    'promptseg local mode',
    `  API      ${stack.apiUrl}            (routes: ${stack.apiUrl}/v1/openapi.json)`,
    `  page     ${stack.webServed ? `${stack.apiUrl}/` : `not built yet: run \`npm run build -w web\`, then restart`}`,
    `  S3       ${stack.s3Url}            bucket ${stack.bucket}, data in ${dataDir}/s3`,
    `  Lambda   ${stack.lambdaUrl}            function ${stack.config.inferenceFunction}`,
    `  dev key  ${stack.devKey}`,
    `           (${stack.devKeyCreated ? 'created now' : 'reused'}; saved in ${dataDir}/dev-key.txt)`,
    '',
    `  export PROMPTSEG_API=${stack.apiUrl} PROMPTSEG_KEY=${stack.devKey}`,
    `  curl -s -H "Authorization: Bearer $PROMPTSEG_KEY" $PROMPTSEG_API/v1/usage`,
    '',
    'Ctrl-C stops it.',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping`);
    void stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`promptseg local mode failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
