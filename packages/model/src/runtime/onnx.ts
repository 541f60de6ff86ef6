/**
 * The only file that imports onnxruntime-node. Sessions are created here, inputs are checked by
 * name against the session before each run (all problems reported at once), and tensors are
 * built with the dtype each input declares.
 */
import * as ort from 'onnxruntime-node';
import { PromptsegError } from '@promptseg/shared';

export type Tensor = ort.Tensor;
export type TensorType = ort.Tensor.Type;
export type Device = 'cpu' | 'cuda' | 'auto';

export interface SessionOptions {
  /** Threads for one operator; defaults to the number of cores (the API/inference is 1 job per process). */
  intraOpThreads?: number;
  device?: Device;
}

export interface IOInfo {
  name: string;
  type: string; // 'float32' | 'float16' | 'int64' | 'bool' | ...
  shape: (number | string)[];
}

export interface OnnxSession {
  readonly path: string;
  readonly inputs: IOInfo[];
  readonly outputs: IOInfo[];
  /** The execution provider actually used. */
  readonly device: 'cpu' | 'cuda';
  /** Set when device 'auto' wanted CUDA and fell back to the CPU: why (for the user's stderr). */
  readonly fallbackReason?: string;
  /** `outputNames` limits what is fetched (ORT then skips copying the other outputs out). */
  run(feeds: Record<string, Tensor>, outputNames?: readonly string[]): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

function ioInfo(meta: readonly ort.InferenceSession.ValueMetadata[] | undefined, names: readonly string[]): IOInfo[] {
  return names.map((name, i) => {
    const m = meta?.[i] as { isTensor?: boolean; type?: string; shape?: (number | string)[] } | undefined;
    return { name, type: m?.isTensor ? String(m.type) : 'unknown', shape: m?.isTensor ? [...(m.shape ?? [])] : [] };
  });
}

export async function createSession(path: string, opts: SessionOptions = {}): Promise<OnnxSession> {
  const wantCuda = opts.device === 'cuda' || opts.device === 'auto';
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: opts.intraOpThreads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  let session: ort.InferenceSession;
  let device: 'cpu' | 'cuda' = 'cpu';
  let fallbackReason: string | undefined;
  try {
    if (wantCuda) {
      try {
        session = await ort.InferenceSession.create(path, { ...base, executionProviders: ['cuda', 'cpu'] });
        device = 'cuda';
      } catch (e) {
        if (opts.device === 'cuda') {
          throw new PromptsegError('engine_unavailable', `The CUDA execution provider could not be loaded: ${(e as Error).message}`, 'Install onnxruntime-node with its CUDA files (see README, "GPU") or use --device cpu.');
        }
        fallbackReason = `CUDA execution provider unavailable (${(e as Error).message}); running on the CPU`;
        session = await ort.InferenceSession.create(path, { ...base, executionProviders: ['cpu'] });
      }
    } else {
      session = await ort.InferenceSession.create(path, { ...base, executionProviders: ['cpu'] });
    }
  } catch (e) {
    if (e instanceof PromptsegError) throw e;
    throw new PromptsegError('model_invalid', `Could not load the ONNX model ${path}: ${(e as Error).message}`, 'Check that the file is complete (promptseg models verify) or reinstall it.');
  }
  const s = session;
  const inputs = ioInfo(s.inputMetadata, s.inputNames);
  const outputs = ioInfo(s.outputMetadata, s.outputNames);
  return {
    path,
    inputs,
    outputs,
    device,
    ...(fallbackReason ? { fallbackReason } : {}),
    async run(feeds, outputNames) {
      checkFeeds(path, inputs, feeds);
      if (!outputNames) return (await s.run(feeds)) as Record<string, Tensor>;
      // onnxruntime-node 1.22 returns a fetched subset in output order but labelled with the
      // FIRST output names (seen here); ask in output order and re-key by position when the
      // labels are not the ones asked for.
      const wanted = [...outputNames].sort((a, b) => s.outputNames.indexOf(a) - s.outputNames.indexOf(b));
      const out = (await s.run(feeds, wanted)) as Record<string, Tensor>;
      if (wanted.every((n) => n in out)) return out;
      const values = Object.values(out);
      if (values.length !== wanted.length) throw new PromptsegError('internal', `ONNX Runtime returned ${values.length} outputs for ${wanted.length} requested from ${path}.`, 'This is a bug in promptseg; please report it.');
      return Object.fromEntries(wanted.map((n, i) => [n, values[i]]));
    },
    release: () => s.release(),
  };
}

function checkFeeds(path: string, inputs: IOInfo[], feeds: Record<string, Tensor>): void {
  const problems: string[] = [];
  for (const i of inputs) {
    const t = feeds[i.name];
    if (!t) problems.push(`missing input "${i.name}"`);
    else if (i.type !== 'unknown' && t.type !== i.type) problems.push(`input "${i.name}" is ${t.type}, model wants ${i.type}`);
  }
  for (const k of Object.keys(feeds)) if (!inputs.some((i) => i.name === k)) problems.push(`unexpected input "${k}"`);
  if (problems.length) {
    throw new PromptsegError('model_invalid', `Model ${path} does not accept the inputs: ${problems.join('; ')}.`, 'The model file does not match the layout promptseg expects; reinstall it or check its export.');
  }
}

export function tensor(type: TensorType, data: ort.Tensor.DataType, dims: readonly number[]): Tensor {
  return new ort.Tensor(type, data as never, dims);
}

/** float32 data as a tensor of the declared dtype (float32 or float16, the fp16 export variants). */
export function floatTensor(declared: string, data: Float32Array, dims: readonly number[]): Tensor {
  if (declared === 'float16') return new ort.Tensor('float16', toFloat16(data), dims);
  return new ort.Tensor('float32', data, dims);
}

/**
 * The same values as a tensor of another dtype, for feeding one model's output into another
 * model's input (an fp16 encoder feeding an fp32 decoder, a bool mask into an int64 input).
 * Returns `t` itself when the dtype already matches.
 */
export function castTensor(t: Tensor, declared: string): Tensor {
  if (t.type === declared || declared === 'unknown') return t;
  const dims = t.dims;
  if ((t.type === 'float32' || t.type === 'float16') && (declared === 'float32' || declared === 'float16')) {
    return floatTensor(declared, readFloats(t), dims);
  }
  const n = t.size;
  const src = t.data as ArrayLike<number | bigint | boolean>;
  const num = (i: number): number => Number(src[i]);
  switch (declared) {
    case 'bool': return new ort.Tensor('bool', Uint8Array.from({ length: n }, (_, i) => (num(i) !== 0 ? 1 : 0)), dims);
    case 'int64': return new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.trunc(num(i)))), dims);
    case 'int32': return new ort.Tensor('int32', Int32Array.from({ length: n }, (_, i) => Math.trunc(num(i))), dims);
    case 'float32': case 'float16': {
      const f = Float32Array.from({ length: n }, (_, i) => num(i));
      return floatTensor(declared, f, dims);
    }
    default:
      throw new PromptsegError('model_invalid', `Cannot convert a ${t.type} tensor to ${declared}.`, 'The model files do not fit together; reinstall them from one source.');
  }
}

/** Reads a float tensor (float32 or float16) as Float32Array. */
export function readFloats(t: Tensor): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array;
  if (t.type === 'float16') return fromFloat16(t.data as Uint16Array);
  throw new PromptsegError('model_invalid', `Expected a float tensor, got ${t.type}.`, 'The model output does not match the expected layout.');
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toFloat16(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    f32[0] = src[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    let exp = ((x >>> 23) & 0xff) - 127 + 15;
    let mant = x & 0x7fffff;
    if (((x >>> 23) & 0xff) === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
    } else if (exp >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (exp <= 0) {
      if (exp < -10) out[i] = sign;
      else {
        mant |= 0x800000;
        const shift = 14 - exp;
        let h = mant >> shift;
        if ((mant >> (shift - 1)) & 1) h++;
        out[i] = sign | h;
      }
    } else {
      let h = sign | (exp << 10) | (mant >> 13);
      if (mant & 0x1000) h++; // round half up
      out[i] = h;
    }
  }
  return out;
}

export function fromFloat16(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) out[i] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) out[i] = mant ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return out;
}
