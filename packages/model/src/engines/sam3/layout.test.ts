import { describe, expect, it } from 'vitest';
import type { IOInfo } from '../../runtime/onnx.js';
import { detectLayout, type ModelIO } from './layout.js';

const io = (name: string, type: string, shape: (number | string)[]): IOInfo => ({ name, type, shape });
const f = (name: string, shape: (number | string)[]) => io(name, 'float32', shape);

/** Layout A at the real size (1008, 288 masks): the I/O tables of the contract, §2. */
function layoutA(size = 1008): ModelIO[] {
  const g = size / 14;
  const fpn = [f('fpn_feat_0', ['batch', 256, 4 * g, 4 * g]), f('fpn_feat_1', ['batch', 256, 2 * g, 2 * g]), f('fpn_feat_2', ['batch', 256, g, g]), f('fpn_pos_2', ['batch', 256, g, g])];
  return [
    { path: 'geo-encoder-mask-decoder.onnx', inputs: [...fpn, f('text_features', ['batch', 32, 256]), io('text_mask', 'bool', ['batch', 32]), f('input_boxes', ['batch', 'num_boxes', 4]), io('input_boxes_labels', 'int64', ['batch', 'num_boxes'])], outputs: [f('pred_masks', ['batch', 200, 4 * g, 4 * g]), f('pred_boxes', ['batch', 200, 4]), f('pred_logits', ['batch', 200]), f('presence_logits', ['batch', 1])] },
    { path: 'vision-encoder.onnx', inputs: [f('images', ['batch', 3, size, size])], outputs: fpn },
    { path: 'text-encoder.onnx', inputs: [io('input_ids', 'int64', ['batch', 32]), io('attention_mask', 'int64', ['batch', 32])], outputs: [f('text_features', ['batch', 32, 256]), io('text_mask', 'bool', ['batch', 32])] },
  ];
}

function layoutC(): ModelIO[] {
  const sizes = [288, 144, 72, 36];
  const vision = [...sizes.map((s, i) => f(`fpn_hidden_state_${i}`, [1, 256, s, s])), ...sizes.map((s, i) => f(`fpn_position_encoding_${i}`, [1, 256, s, s]))];
  return [
    { path: 'vision_encoder.onnx', inputs: [f('pixel_values', [1, 3, 1008, 1008])], outputs: vision },
    { path: 'text_encoder.onnx', inputs: [io('input_ids', 'int64', [1, 32]), io('attention_mask', 'int64', [1, 32])], outputs: [f('text_features', [1, 32, 256])] },
    { path: 'decoder.onnx', inputs: [vision[0], vision[1], vision[2], vision[6], f('text_features', [1, 32, 256]), io('attention_mask', 'int64', [1, 32])], outputs: [f('pred_masks', [1, 200, 288, 288]), f('pred_boxes', [1, 200, 4]), f('pred_logits', [1, 200])] },
  ];
}

describe('detectLayout', () => {
  it('recognises Layout A by names, in any file order, and reads every size from the metadata', () => {
    const L = detectLayout(layoutA());
    expect(L.id).toBe('A');
    expect(L.roles).toEqual({ vision: 1, text: 2, decoder: 0 });
    expect(L.inputSize).toEqual({ width: 1008, height: 1008 });
    expect(L.maskSize).toEqual({ width: 288, height: 288 });
    expect(L.queries).toBe(200);
    expect(L.tokenLength).toBe(32);
    expect(L.visionToDecoder).toEqual(['fpn_feat_0', 'fpn_feat_1', 'fpn_feat_2', 'fpn_pos_2']);
    expect(L.textToDecoder).toEqual(['text_features', 'text_mask']);
    expect(L.boxInputs).toEqual({ boxes: 'input_boxes', labels: 'input_boxes_labels' });
    expect(L.hasPresence).toBe(true);
    expect(L.assumed).toEqual([]);
  });

  it('follows the export size (504x896 of the export script) rather than assuming 1008', () => {
    const models = layoutA();
    models[1].inputs[0] = f('images', ['batch', 3, 504, 896]);
    expect(detectLayout(models).inputSize).toEqual({ width: 896, height: 504 });
  });

  it('falls back to 1008 / 32 only where a dim is symbolic, and says so', () => {
    const models = layoutA();
    models[1].inputs[0] = f('images', ['batch', 3, 'height', 'width']);
    const L = detectLayout(models);
    expect(L.inputSize).toEqual({ width: 1008, height: 1008 });
    expect(L.assumed).toEqual(['input height (1008)', 'input width (1008)']);
  });

  it('recognises Layout C: no boxes, no presence, the tokeniser mask goes to the decoder, unused FPN outputs are not kept', () => {
    const L = detectLayout(layoutC());
    expect(L.id).toBe('C');
    expect(L.boxInputs).toBeUndefined();
    expect(L.hasPresence).toBe(false);
    expect(L.tokensToDecoder).toEqual(['attention_mask']);
    expect(L.visionToDecoder).toEqual(['fpn_hidden_state_0', 'fpn_hidden_state_1', 'fpn_hidden_state_2', 'fpn_position_encoding_2']);
  });

  it('uses presence_logits when a Layout C decoder has it', () => {
    const models = layoutC();
    models[2].outputs.push(f('presence_logits', [1, 1]));
    expect(detectLayout(models).hasPresence).toBe(true);
  });

  it('names the superseded usls v1 layout instead of failing obscurely', () => {
    const models = layoutA();
    models[0].inputs = [...models[0].inputs.slice(0, 4), f('prompt_features', ['batch', 'L', 256]), io('prompt_mask', 'bool', ['batch', 'L'])];
    expect(() => detectLayout(models)).toThrow(/usls v1 \(Layout B/);
  });

  it('reports a decoder input nothing produces, listing every file', () => {
    const models = layoutA();
    models[0].inputs.push(f('mystery', [1]));
    expect(() => detectLayout(models)).toThrow(/"mystery".*vision-encoder\.onnx: inputs \[images\]/s);
  });

  it('refuses a set without a decoder', () => {
    const models = layoutA().slice(1);
    expect(() => detectLayout(models)).toThrow(/exactly one SAM 3 decoder/);
  });
});
