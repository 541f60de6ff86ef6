#!/usr/bin/env node
// The `promptseg` command. The sources are TypeScript run directly through tsx's loader, so the
// command works in a fresh clone after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv);
// Flush stdout before leaving: large JSON documents written to a pipe must arrive whole.
process.stdout.write('', () => process.exit(code));
