/**
 * A small ONNX graph builder for test fixtures, on top of the protobuf classes of `onnx-proto`.
 * Tests build their stand-in models with it instead of checking binary .onnx files in.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export type ElemType = 'float32' | 'float16' | 'int64' | 'bool';
export type Dim = number | string;

const ELEM: Record<ElemType, number> = { float32: DT.FLOAT, float16: DT.FLOAT16, int64: DT.INT64, bool: DT.BOOL };

type AttrValue = number | number[] | string | { tensor: Float32Array | BigInt64Array; dims: number[] };

function valueInfo(name: string, type: ElemType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[type], shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function tensorProto(name: string, data: Float32Array | BigInt64Array, dims: number[]): onnxProto.onnx.ITensorProto {
  return {
    name,
    dims,
    dataType: data instanceof Float32Array ? DT.FLOAT : DT.INT64,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  return { name, type: A.TENSOR, t: tensorProto(name, v.tensor, v.dims) };
}

export class GraphBuilder {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private inits: onnxProto.onnx.ITensorProto[] = [];
  private inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private n = 0;

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares `value` as the graph output `name` (an Identity node gives it that name). */
  output(name: string, value: string, type: ElemType, dims: Dim[]): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `out_${name}` });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A float32 or int64 initializer. */
  init(data: Float32Array | BigInt64Array, dims: number[], name = this.fresh('c')): string {
    this.inits.push(tensorProto(name, data, dims));
    return name;
  }

  f(values: number[], dims: number[] = [values.length]): string {
    return this.init(Float32Array.from(values), dims);
  }

  i64(values: number[], dims: number[] = [values.length]): string {
    return this.init(BigInt64Array.from(values.map(BigInt)), dims);
  }

  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    const out = this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return out;
  }

  // Shorthands for the ops the fixtures use.
  cast(x: string, to: ElemType): string {
    return this.op('Cast', [x], { to: ELEM[to] });
  }
  slice(x: string, start: number, end: number, axis: number): string {
    return this.op('Slice', [x, this.i64([start]), this.i64([end]), this.i64([axis])]);
  }
  add(a: string, b: string): string { return this.op('Add', [a, b]); }
  sub(a: string, b: string): string { return this.op('Sub', [a, b]); }
  mul(a: string, b: string): string { return this.op('Mul', [a, b]); }
  concat(xs: string[], axis: number): string { return this.op('Concat', xs, { axis }); }
  /** The leading (batch) dim of `x` as an int64 [1] tensor. */
  batchOf(x: string): string { return this.slice(this.op('Shape', [x]), 0, 1, 0); }
  /** Broadcasts a constant whose dim 0 is 1 to [batch(x), ...rest]. */
  expandToBatch(c: string, like: string, rest: number[]): string {
    return this.op('Expand', [c, this.concat([this.batchOf(like), this.i64(rest)], 0)]);
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.n++}`;
  }

  /**
   * Serialises the model. With `externalDataFile`, every initializer of at least
   * `externalMinBytes` is moved into that file (beside the model), the way the real fp32
   * exports keep their weights in `<model>.onnx.data`.
   */
  build(opts: { opset?: number; externalData?: { modelPath: string; minBytes?: number } } = {}): Uint8Array {
    let inits = this.inits;
    if (opts.externalData) {
      const dataName = `${basename(opts.externalData.modelPath)}.data`;
      const chunks: Uint8Array[] = [];
      let offset = 0;
      inits = inits.map((t) => {
        const raw = t.rawData as Uint8Array;
        if (raw.byteLength < (opts.externalData?.minBytes ?? 1024)) return t;
        const entry: onnxProto.onnx.ITensorProto = {
          name: t.name,
          dims: t.dims,
          dataType: t.dataType,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: dataName },
            { key: 'offset', value: String(offset) },
            { key: 'length', value: String(raw.byteLength) },
          ],
        };
        chunks.push(raw);
        offset += raw.byteLength;
        return entry;
      });
      const all = new Uint8Array(offset);
      let at = 0;
      for (const c of chunks) { all.set(c, at); at += c.byteLength; }
      if (offset > 0) writeFileSync(`${opts.externalData.modelPath}.data`, all);
    }
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: opts.opset ?? 17 }],
      producerName: 'promptseg-test-fixture',
      graph: { name: 'fixture', input: this.inputs, output: this.outputs, initializer: inits, node: this.nodes },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
