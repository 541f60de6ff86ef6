/**
 * Text → input_ids + attention_mask for the SAM 3 text encoder. The BPE itself is
 * @huggingface/tokenizers reading the export's own tokenizer.json (no hand-written BPE); this
 * file only applies the fixed length and the padding rule of the contract (§1):
 *   hf:       pad with the pad id (tokenizer.json `padding.pad_id`, else tokenizer_config's
 *             pad_token, else <|endoftext|> 49407); attention_mask 0 on padding.
 *   official: pad with 0; attention_mask = (id ≠ 0).
 * Both rules truncate so the end token stays last.
 */
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { PromptsegError } from '@promptseg/shared';

export const CLIP_END_ID = 49407;

export type PaddingRule = 'hf' | 'official';

export interface Tokens {
  ids: number[];
  mask: number[];
}

export class Sam3Tokenizer {
  private readonly tok: Tokenizer;
  readonly padId: number;

  constructor(tokenizerJson: Record<string, unknown>, config: Record<string, unknown> = {}, readonly rule: PaddingRule = 'hf') {
    try {
      this.tok = new Tokenizer(tokenizerJson, config);
    } catch (e) {
      throw new PromptsegError('model_invalid', `The SAM 3 tokenizer.json could not be read: ${(e as Error).message}.`, 'Reinstall the model files (promptseg models pull sam3).');
    }
    this.padId = rule === 'official' ? 0 : hfPadId(this.tok, tokenizerJson, config);
  }

  static async load(tokenizerPath: string, configPath: string | undefined, rule: PaddingRule): Promise<Sam3Tokenizer> {
    const json = await readJson(tokenizerPath);
    const config = configPath ? await readJson(configPath).catch(() => ({})) : {};
    return new Sam3Tokenizer(json, config, rule);
  }

  /** Exactly `length` ids and mask values for one phrase. */
  encode(phrase: string, length: number): Tokens {
    let ids = this.tok.encode(phrase).ids;
    if (ids.length > length) ids = [...ids.slice(0, length - 1), ids[ids.length - 1]];
    const real = ids.length;
    const out = new Array<number>(length).fill(this.padId);
    for (let i = 0; i < real; i++) out[i] = ids[i];
    const mask = this.rule === 'official' ? out.map((id) => (id !== 0 ? 1 : 0)) : out.map((_, i) => (i < real ? 1 : 0));
    return { ids: out, mask };
  }
}

function hfPadId(tok: Tokenizer, json: Record<string, unknown>, config: Record<string, unknown>): number {
  const padding = json.padding as { pad_id?: unknown } | null | undefined;
  if (padding && typeof padding.pad_id === 'number') return padding.pad_id;
  const padToken = typeof config.pad_token === 'string' ? config.pad_token : (config.pad_token as { content?: string } | undefined)?.content;
  const fromConfig = padToken !== undefined ? tok.token_to_id(padToken) : undefined;
  return fromConfig ?? tok.token_to_id('<|endoftext|>') ?? CLIP_END_ID;
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PromptsegError('model_missing', `${path} is missing.`, 'Reinstall the model files (promptseg models pull sam3).');
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new PromptsegError('model_invalid', `${path} is not valid JSON (${(e as Error).message}).`, 'Reinstall the model files (promptseg models pull sam3).');
  }
}
