/**
 * AWS Signature V4 checks for the local S3 gate: presigned query URLs (the canonical request
 * rebuilt from what actually arrived, signed headers included) and browser POST policies
 * (signature over the base64 policy, expiration, every condition, no extra fields). s3rver
 * 3.7.1 checks neither, so without this local mode would accept any upload.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export class S3Denied extends Error {
  constructor(
    readonly s3Code: string,
    message: string,
    readonly status = 403,
  ) {
    super(message);
  }
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `20261126T182445Z` → ms since epoch. */
export function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string, creds: Credentials): Scope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') throw new S3Denied('AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter.', 400);
  const [accessKeyId, date, region, service] = parts;
  if (accessKeyId !== creds.accessKeyId) throw new S3Denied('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  return { accessKeyId, date, region, service };
}

export interface IncomingForSig {
  method: string;
  /** Raw path as received (already URI-encoded by the client). */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

function splitQuery(query: string): [string, string][] {
  if (!query) return [];
  return query.split('&').map((kv) => {
    const i = kv.indexOf('=');
    const k = i < 0 ? kv : kv.slice(0, i);
    const v = i < 0 ? '' : kv.slice(i + 1);
    return [decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))];
  });
}

/** Verifies a presigned (query-string) SigV4 request; throws S3Denied like S3 would. */
export function verifyPresignedQuery(req: IncomingForSig, creds: Credentials, now = Date.now()): void {
  const params = splitQuery(req.query);
  const get = (k: string) => params.find(([n]) => n === k)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw new S3Denied('AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.', 400);
  }
  const scope = parseCredential(credential, creds);
  const t = parseAmzDate(amzDate);
  if (!Number.isFinite(t)) throw new S3Denied('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format.', 400);
  if (now > t + Number(expires) * 1000) throw new S3Denied('AccessDenied', 'Request has expired');

  const canonicalQuery = params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((n) => {
      const v = req.headers[n];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${n}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [req.method, req.path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  const expected = hmac(signingKey(creds.secretAccessKey, scope.date, scope.region, scope.service), stringToSign).toString('hex');
  if (!equalHex(expected, signature)) {
    throw new S3Denied('SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided (signed headers: ${signedHeaders}).`);
  }
}

type Condition = Record<string, string> | [string, ...(string | number)[]];

/** Form fields whose names S3 never requires a policy condition for. */
const EXEMPT = new Set(['file', 'policy', 'x-amz-signature']);

/**
 * Verifies a browser POST upload against its policy. `fields` are the form fields (names as
 * sent), `bucket` from the URL, `fileSize` the bytes of the `file` part.
 */
export function verifyPostPolicy(fields: Map<string, string>, bucket: string, fileSize: number, creds: Credentials, now = Date.now()): void {
  const lower = new Map<string, string>();
  for (const [k, v] of fields) lower.set(k.toLowerCase(), v);
  const policyB64 = lower.get('policy');
  const signature = lower.get('x-amz-signature');
  const credential = lower.get('x-amz-credential');
  if (!policyB64 || !signature || !credential || lower.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Denied('AccessDenied', 'Bucket POST must contain a signed policy (Policy, X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature).');
  }
  const scope = parseCredential(credential, creds);
  const expected = hmac(signingKey(creds.secretAccessKey, scope.date, scope.region, scope.service), policyB64).toString('hex');
  if (!equalHex(expected, signature)) throw new S3Denied('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');

  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw new S3Denied('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.', 400);
  }
  if (!policy.expiration || !(Date.parse(policy.expiration) > now)) throw new S3Denied('AccessDenied', 'Invalid according to Policy: Policy expired.');

  const value = (name: string) => (name === 'bucket' ? bucket : lower.get(name));
  const covered = new Set<string>(['bucket']);
  for (const c of policy.conditions ?? []) {
    if (!Array.isArray(c)) {
      for (const [k, v] of Object.entries(c)) {
        const name = k.toLowerCase();
        covered.add(name);
        if (value(name) !== v) throw new S3Denied('AccessDenied', `Invalid according to Policy: Policy Condition failed: ["eq", "$${k}", "${v}"]`);
      }
      continue;
    }
    const [op, a, b] = c;
    if (op === 'content-length-range') {
      const min = Number(a);
      const max = Number(b);
      if (fileSize > max) throw new S3Denied('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${fileSize} > ${max} bytes).`, 400);
      if (fileSize < min) throw new S3Denied('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size (${fileSize} < ${min} bytes).`, 400);
      continue;
    }
    const name = String(a).replace(/^\$/, '').toLowerCase();
    covered.add(name);
    const actual = value(name) ?? '';
    const ok = op === 'eq' ? actual === String(b) : op === 'starts-with' ? actual.startsWith(String(b)) : false;
    if (!ok) throw new S3Denied('AccessDenied', `Invalid according to Policy: Policy Condition failed: ["${op}", "${a}", "${b}"]`);
  }
  const extra = [...lower.keys()].filter((k) => !EXEMPT.has(k) && !covered.has(k) && !k.startsWith('x-ignore-'));
  if (extra.length) throw new S3Denied('AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
}
