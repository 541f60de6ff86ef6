/** Types of ensure-built.mjs (a plain Node script, so `npm start` needs no TypeScript loader). */
export function fingerprint(): string;
export function ensureBuilt(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
