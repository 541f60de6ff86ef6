/**
 * The GPU variant's entry (ECS on EC2, sst.config.ts): the inference handler in this process
 * behind the Lambda Invoke API on PROMPTSEG_INVOKE_PORT, so the API's Lambda SDK code reaches it
 * unchanged (PROMPTSEG_LAMBDA_ENDPOINT). Invocations run concurrently in the warm process;
 * Event invocations that fail are logged (the job's lease decides a retry).
 */
import { INVOKE_SERVER_ENV, envNumber, processEnv } from '../config.js';
import { createInferenceHandler } from './handler.js';
import { createInvokeServer } from './invoke-api.js';

const port = envNumber(INVOKE_SERVER_ENV, processEnv(), 'PROMPTSEG_INVOKE_PORT');
const handler = createInferenceHandler();
const server = createInvokeServer({
  resolve: () => ({ invoke: handler }),
  onEventError: (name, e) => console.error(`[invoke-server] async invocation of ${name} failed:`, e),
});

handler.ready.then(
  (r) => console.log(`[invoke-server] models ready in ${r.ms} ms (${r.engines.join(', ')})`),
  (e: unknown) => console.error('[invoke-server] model start failed:', e),
);
server.listen(port, '0.0.0.0', () => console.log(`[invoke-server] Lambda Invoke API on :${port}`));
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
