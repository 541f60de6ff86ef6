/**
 * A recording stand-in for the SST platform globals that sst.config.ts uses (declared in
 * ./sst-platform.d.ts). Nothing is deployed: every `new sst.aws.X(name, args)` or
 * `new aws.ns.Y(name, args, opts)` is recorded with its arguments, and every deploy-time value
 * (bucket.arn, router.url, …) is a stand-in Output holding a readable token such as
 * `<Data.arn>`, so tests can assert which resource points at which.
 *
 * `resolveDeep` turns the recorded arguments into plain JSON (tokens resolved, functions and
 * undefined dropped), which is what the assertions look at.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A resolved stand-in for a Pulumi Output: the value is known at once. */
export class FakeOutput<T> {
  constructor(readonly value: T) {}
  apply<U>(fn: (value: T) => U | FakeOutput<U> | Promise<U>): FakeOutput<U> {
    const out = fn(this.value);
    if (out instanceof Promise) throw new Error('sst-recorder: async apply callbacks are not supported by the stand-in');
    return out instanceof FakeOutput ? out : new FakeOutput(out as U);
  }
}

export interface Recorded {
  /** e.g. "sst.aws.Bucket", "aws.lambda.Function", "docker.Image", "sst.Secret". */
  type: string;
  name: string;
  args: unknown;
  opts: unknown;
}

export interface Recording {
  resources: Recorded[];
  /** Data-source calls such as aws.ssm.getParameterOutput({ name }). */
  lookups: { fn: string; args: unknown }[];
}

/** The plain value behind stand-in Outputs, recursively. */
export function resolveDeep(value: unknown): Json {
  if (value instanceof FakeOutput) return resolveDeep(value.value);
  if (value === null) return null;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && typeof v !== 'function').map(resolveDeep);
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined || typeof v === 'function') continue;
        out[k] = resolveDeep(v);
      }
      return out;
    }
    default:
      throw new Error(`sst-recorder: cannot resolve a ${typeof value}`);
  }
}

function token(name: string, prop: string): string {
  return `<${name}.${prop}>`;
}

/** Deploy-time values with a known shape, so the config's string handling can be checked. */
const KNOWN: Record<string, (name: string) => Record<string, string>> = {
  'sst.aws.Router': () => ({ url: 'https://d111111abcdef8.cloudfront.net' }),
  'sst.aws.Bucket': (n) => ({ name: token(n, 'name'), arn: `arn:aws:s3:::${token(n, 'name')}` }),
  'aws.lambda.Function': (n) => ({ arn: `arn:aws:lambda:us-east-1:123456789012:function:${token(n, 'name')}`, version: '7' }),
  'aws.lambda.Alias': (n) => ({ arn: `arn:aws:lambda:us-east-1:123456789012:function:${token(n, 'functionName')}:live` }),
  'aws.ecr.Repository': (n) => ({ repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${token(n, 'name')}` }),
  'docker.Image': (n) => ({ repoDigest: `${token(n, 'repository')}@sha256:0123456789abcdef` }),
  'sst.Secret': (n) => ({ value: `<secret:${n}>` }),
};

function makeClass(type: string, recording: Recording) {
  return class {
    constructor(name: string, args?: unknown, opts?: unknown) {
      if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
        throw new Error(`${type}: component names must be letters and digits (got "${String(name)}")`);
      }
      if (recording.resources.some((r) => r.name === name)) throw new Error(`${type}: duplicate component name "${name}"`);
      recording.resources.push({ type, name, args: args ?? {}, opts: opts ?? {} });
      const known = KNOWN[type]?.(name) ?? {};
      return new Proxy(this, {
        get(_target, prop) {
          if (typeof prop !== 'string') return undefined;
          if (prop === 'then') return undefined; // not a thenable
          return new FakeOutput(known[prop] ?? token(name, prop));
        },
      });
    }
  };
}

function makeNamespace(prefix: string, recording: Recording): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop !== 'string') return undefined;
        if (/^get[A-Z].*Output$/.test(prop)) {
          return (args?: unknown) => {
            recording.lookups.push({ fn: `${prefix}.${prop}`, args: args ?? {} });
            const fixed: Record<string, string> = { name: 'us-east-1', accountId: '123456789012', partition: 'aws', userName: 'AWS' };
            return new FakeOutput(
              new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? (fixed[k] ?? `<${prop}.${k}>`) : undefined) }),
            );
          };
        }
        if (/^[A-Z]/.test(prop)) return makeClass(`${prefix}.${prop}`, recording);
        return makeNamespace(`${prefix}.${prop}`, recording);
      },
    },
  );
}

function interpolate(strings: TemplateStringsArray, ...values: unknown[]): FakeOutput<string> {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const r = resolveDeep(v);
    out += (typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean' ? String(r) : JSON.stringify(r)) + (strings[i + 1] ?? '');
  });
  return new FakeOutput(out);
}

const GLOBALS = ['$config', '$app', '$interpolate', '$jsonStringify', '$util', 'sst', 'aws', 'docker'] as const;

/**
 * Installs the stand-in globals for one stage. Returns the (empty, filling) recording and a
 * function that removes the globals again.
 */
export function installSstGlobals(stage: string, app: { removal: string; protect: boolean } = { removal: 'retain', protect: false }) {
  const recording: Recording = { resources: [], lookups: [] };
  const g = globalThis as Record<string, unknown>;
  g.$config = (config: unknown) => config;
  g.$app = Object.freeze({ name: 'promptseg', stage, removal: app.removal, protect: app.protect });
  g.$interpolate = interpolate;
  g.$jsonStringify = (value: unknown) => new FakeOutput(JSON.stringify(resolveDeep(value)));
  g.$util = { secret: <T>(v: T | FakeOutput<T>) => (v instanceof FakeOutput ? v : new FakeOutput(v)) };
  g.sst = { Secret: makeClass('sst.Secret', recording), aws: makeNamespace('sst.aws', recording) };
  g.aws = makeNamespace('aws', recording);
  g.docker = makeNamespace('docker', recording);
  return {
    recording,
    uninstall() {
      for (const k of GLOBALS) delete g[k];
    },
  };
}
