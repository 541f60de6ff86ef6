/**
 * Writes a complete stand-in SAM 3 export (three .onnx files + tokenizer files) into a folder,
 * with the file names of the real export family, for engine, pull and CLI tests.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFileNames, type Sam3Variant } from '../../src/models/catalogue.js';
import { decoder, textEncoder, visionEncoder } from './models.js';
import { makeClipTokenizer, type TokenizerFixtureOptions } from './tokenizer.js';

export * from './models.js';
export * from './tokenizer.js';

/** Words of the test vocabulary; the odd ones are what the fixture decoder "finds". */
export const PRESENT_WORDS = ['squirrel', 'red', 'car', 'person', 'visual'];
export const ABSENT_WORDS = ['zebra', 'dog', 'shirt'];

export interface WriteFixtureOptions {
  layout: 'A' | 'C';
  /** Picks the file names (suffix) and, for fp16 / q4f16, float16 model inputs and outputs. */
  variant?: Sam3Variant;
  size?: number;
  /** Keep the weights in `<model>.onnx.data` beside each model, as the real fp32 files do. */
  externalData?: boolean;
  tokenizer?: Partial<TokenizerFixtureOptions>;
}

export function writeSam3Fixture(dir: string, o: WriteFixtureOptions): string[] {
  mkdirSync(dir, { recursive: true });
  const variant = o.variant ?? (o.layout === 'A' ? 'fp32' : 'fp32');
  const float = variant === 'fp16' || variant === 'q4f16' ? 'float16' : 'float32';
  const g = { size: o.size ?? 56, float } as const;
  const names = modelFileNames(o.layout === 'A' ? 'usls' : 'danilobukvic', variant);
  const builders = [visionEncoder(o.layout, g), textEncoder(o.layout, g), decoder(o.layout, g)];
  const written: string[] = [];
  builders.forEach((b, i) => {
    const path = join(dir, names[i]);
    rmSync(`${path}.data`, { force: true });
    writeFileSync(path, b.build(o.externalData ? { externalData: { modelPath: path, minBytes: 256 } } : {}));
    written.push(names[i]);
    if (existsSync(`${path}.data`)) written.push(`${names[i]}.data`);
  });
  const { tokenizer, config } = makeClipTokenizer({ words: [...PRESENT_WORDS, ...ABSENT_WORDS], odd: PRESENT_WORDS, even: ABSENT_WORDS, ...o.tokenizer });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  written.push('tokenizer.json', 'tokenizer_config.json');
  return written;
}
