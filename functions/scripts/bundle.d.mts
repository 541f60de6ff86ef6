/** Types of bundle.mjs (plain JS so the image's build stage runs it with node, no tsx). */
export declare const ENTRIES: Record<string, string>;
export declare function externalPackages(): string[];
export declare function bundle(outdir?: string): Promise<{ outdir: string; external: string[] }>;
