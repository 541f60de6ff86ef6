/** Prompt box helpers: the chips are the parts between hard separators (as the service counts them). */
const SEPARATORS = /[,;\n，；、]/;

export function promptParts(prompt: string): string[] {
  return prompt.split(SEPARATORS).map((p) => p.trim()).filter(Boolean);
}

/** The prompt without part `index` (chip removal), re-joined with ", ". */
export function withoutPart(prompt: string, index: number): string {
  return promptParts(prompt).filter((_, i) => i !== index).join(', ');
}

/** Replaces the part equal to `from` (an unknown concept) by `to`. */
export function replacePart(prompt: string, from: string, to: string): string {
  const parts = promptParts(prompt);
  const i = parts.findIndex((p) => p.toLowerCase() === from.trim().toLowerCase());
  if (i < 0) return [...parts, to].join(', ');
  parts[i] = to;
  return parts.join(', ');
}
