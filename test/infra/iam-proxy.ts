/**
 * A local stand-in for IAM in front of the local S3: sst.config.ts is recorded for one scheduled
 * function's S3 statements, and a proxy lets through only the requests those statements allow,
 * the way S3 evaluates them for an IAM role (action + bucket/object ARN; 403 AccessDenied
 * otherwise). Used by sweeper.test.ts and webhooks.test.ts to run the real handlers under their
 * deployed permissions: a statement too narrow for the code fails there; too wide fails
 * sst-config.test.ts.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installSstGlobals, resolveDeep, type Json } from './sst-recorder.ts';

export interface Statement {
  actions: string[];
  resources: string[];
}

export interface ProxiedRequest {
  action: string;
  resource: string;
  allowed: boolean;
}

/** IAM resource matching: `*` any run of characters, `?` one character. */
export function iamMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  return re.test(value);
}

/** The S3 action and resource ARN of one path-style request (only what the service's SDK calls send). */
function s3Action(method: string, url: string): { action: string; resource: string } {
  const path = new URL(url, 'http://x').pathname;
  const [, bucket = '', ...rest] = path.split('/');
  const key = rest.map(decodeURIComponent).join('/');
  if (!key) return { action: method === 'GET' || method === 'HEAD' ? 's3:ListBucket' : `s3:${method}Bucket?`, resource: `arn:aws:s3:::${bucket}` };
  const action = method === 'GET' || method === 'HEAD' ? 's3:GetObject' : method === 'PUT' ? 's3:PutObject' : method === 'DELETE' ? 's3:DeleteObject' : `s3:${method}?`;
  return { action, resource: `arn:aws:s3:::${bucket}/${key}` };
}

/** A proxy in front of the local S3 that lets through only what `statements` allow; every request is logged. */
export function iamProxy(upstreamPort: number, statements: Statement[], log: ProxiedRequest[]): Server {
  return http.createServer((req, res) => {
    const { action, resource } = s3Action(req.method ?? 'GET', req.url ?? '/');
    const allowed = statements.some((st) => st.actions.includes(action) && st.resources.some((r) => iamMatch(r, resource)));
    log.push({ action, resource, allowed });
    if (!allowed) {
      req.resume();
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>not allowed: ${action} on ${resource}</Message></Error>`;
      res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
      return;
    }
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => res.destroy(e));
    req.pipe(up);
  });
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The S3 statements of the sst.aws.CronV2 named `name` in production, with the recorder's bucket token replaced by `bucket`. */
export async function cronStatements(name: string, bucket: string): Promise<Statement[]> {
  const installed = installSstGlobals('production', { removal: 'retain', protect: true });
  try {
    const config = (await import('../../sst.config.ts')).default as unknown as { run(): Promise<unknown> };
    await config.run();
    const cron = installed.recording.resources.find((r) => r.type === 'sst.aws.CronV2' && r.name === name);
    if (!cron) throw new Error(`sst.config.ts defines no sst.aws.CronV2 named ${name}`);
    const fn = (resolveDeep(cron.args) as { [k: string]: Json }).function as unknown as { permissions: Statement[] };
    return fn.permissions.map((p) => ({ actions: p.actions, resources: p.resources.map((r) => r.replace('<Data.name>', bucket)) }));
  } finally {
    installed.uninstall();
  }
}
