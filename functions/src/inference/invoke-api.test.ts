// The Lambda Invoke API as @aws-sdk/client-lambda sees it: Event vs RequestResponse, function
// errors, unknown functions, qualified names and ARNs.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvokeServer, functionNameOf } from './invoke-api.js';

let server: Server;
let lambda: LambdaClient;
const seen: unknown[] = [];
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  server = createInvokeServer({
    resolve: (name) =>
      name === 'echo'
        ? {
            invoke: async (p) => {
              seen.push(p);
              const payload = p as { fail?: boolean; wait?: boolean };
              if (payload.wait) await gate;
              if (payload.fail) throw Object.assign(new Error('boom'), { name: 'BoomError' });
              return { got: p };
            },
          }
        : undefined,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  lambda = new LambdaClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
});
afterAll(() => {
  lambda.destroy();
  server.closeAllConnections();
  server.close();
});

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('local Lambda Invoke API', () => {
  it('RequestResponse answers the handler’s JSON', async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: enc({ a: 1 }) }));
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(r.Payload))).toEqual({ got: { a: 1 } });
  });

  it('Event answers 202 at once and runs in the background', async () => {
    const before = seen.length;
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: enc({ wait: true }) }));
    expect(r.StatusCode).toBe(202);
    expect(seen.length).toBe(before + 1); // started, still waiting on the gate
    release();
  });

  it('a thrown error is a FunctionError with errorType and errorMessage', async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: enc({ fail: true }) }));
    expect(r.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(r.Payload))).toEqual({ errorType: 'BoomError', errorMessage: 'boom' });
  });

  it('an unknown function is ResourceNotFoundException; ARNs and qualifiers resolve to the name', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope', Payload: enc({}) }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live', Payload: enc({ b: 2 }) }));
    expect(JSON.parse(new TextDecoder().decode(r.Payload))).toEqual({ got: { b: 2 } });
    expect(functionNameOf('echo:live')).toBe('echo');
  });
});
