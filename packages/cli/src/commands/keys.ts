/**
 * `promptseg keys create|list|revoke|usage`: API key administration against the service's own
 * store (keys and usage events in S3) — local mode's store by default, the production bucket
 * when PROMPTSEG_KEY_PEPPER is set (see functions/src/local/admin.ts). Keys are printed once,
 * at creation; the store keeps only their HMAC.
 */
import { Command } from 'commander';
import { ISO_DAY, PromptsegError } from '@promptseg/shared';
import type { CliContext } from '../context.js';
import { alignColumns } from '../table.js';

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new PromptsegError('invalid_option', `${flag}: "${value}" is not a whole number.`, `Give ${flag} as a whole number (0 = unlimited).`);
  return n;
}

async function open(ctx: CliContext) {
  const { openAdminStore } = await import('@promptseg/functions/admin');
  return openAdminStore(ctx.env);
}

function table(rows: (string | number)[][]): string {
  return alignColumns(rows).join('\n') + '\n';
}

export function keysCommand(ctx: CliContext): Command {
  const keys = new Command('keys').description('Create, list and revoke API keys of the service, and print usage (local mode store, or production with PROMPTSEG_KEY_PEPPER)');
  const out = (s: string) => ctx.stdout.write(s);

  keys
    .command('create')
    .description('Create an API key for a tenant (printed once)')
    .requiredOption('--tenant <id>', 'tenant the key belongs to (lower-case letters, digits, - and _)')
    .option('--name <text>', 'a label for the key', '')
    .option('--quota <n>', 'billable calls per month for this key (0 = unlimited; default: the server default)')
    .option('--rate-limit <n>', 'requests per minute for this key (default: the server default)')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; name: string; quota?: string; rateLimit?: string; json?: boolean }) => {
      const quota = positiveInt('--quota', o.quota);
      const rate = positiveInt('--rate-limit', o.rateLimit);
      const { store, pepper, where } = await open(ctx);
      const { createKey } = await import('@promptseg/functions/core');
      const { key, record } = await createKey(store, pepper, { tenant: o.tenant, name: o.name, quotaMonthly: quota === 0 ? null : quota, rateLimitPerMin: rate });
      if (o.json) return void out(`${JSON.stringify({ key, ...record })}\n`);
      out(`${key}\n`);
      ctx.stderr.write(`created key ${record.key_id} for tenant ${record.tenant} in ${where}; store it now: it is not shown again\n`);
    });

  keys
    .command('list')
    .description('List keys (never their secrets)')
    .option('--tenant <id>', 'only this tenant')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const { store } = await open(ctx);
      const { listKeys } = await import('@promptseg/functions/core');
      const list = await listKeys(store, o.tenant);
      if (o.json) return void out(`${JSON.stringify(list)}\n`);
      if (!list.length) return void out('no keys\n');
      out(table([['KEY ID', 'TENANT', 'NAME', 'CREATED', 'STATUS', 'QUOTA/MONTH', 'RATE/MIN'], ...list.map((k) => [k.key_id, k.tenant, k.name || '-', k.created_at.slice(0, 19), k.revoked_at ? `revoked ${k.revoked_at.slice(0, 10)}` : 'active', k.quota_monthly ?? 'default', k.rate_limit_per_min ?? 'default'])]));
    });

  keys
    .command('revoke')
    .description('Revoke a key (by key id, or the key itself); it is refused from then on')
    .argument('<key>', 'key id (from `keys list`) or the full key')
    .action(async (idOrKey: string) => {
      const { store } = await open(ctx);
      const { revokeKey, keyIdOf } = await import('@promptseg/functions/core');
      const id = keyIdOf(idOrKey);
      const r = await revokeKey(store, id);
      if (!r) throw new PromptsegError('not_found', `No key ${id}.`, 'See `promptseg keys list` for the key ids.');
      out(`revoked ${r.key_id} (tenant ${r.tenant}) at ${r.revoked_at}\n`);
    });

  keys
    .command('usage')
    .description('Billable calls of a tenant by day and engine (accepted, voided = failed on our side, billable)')
    .requiredOption('--tenant <id>', 'tenant')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: first of this month, UTC)')
    .option('--to <day>', 'last day, YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print JSON')
    .action(async (o: { tenant: string; from?: string; to?: string; json?: boolean }) => {
      for (const [flag, v] of [['--from', o.from], ['--to', o.to]] as const) {
        if (v !== undefined && !ISO_DAY.test(v)) throw new PromptsegError('invalid_option', `${flag}: "${v}" is not a day.`, 'Write it as YYYY-MM-DD.');
      }
      const { store } = await open(ctx);
      const { summarizeUsage, utcDay, utcMonth } = await import('@promptseg/functions/core');
      const from = o.from ?? `${utcMonth(Date.now())}-01`;
      const to = o.to ?? utcDay(Date.now());
      const rows = await summarizeUsage(store, o.tenant, from, to);
      const total = rows.reduce((n, r) => n + r.billable, 0);
      if (o.json) return void out(`${JSON.stringify({ tenant: o.tenant, from, to, total_billable: total, days: rows })}\n`);
      out(`usage of ${o.tenant}, ${from} to ${to}\n`);
      if (rows.length) out(table([['DAY', 'ENGINE', 'KIND', 'ACCEPTED', 'VOIDED', 'BILLABLE'], ...rows.map((r) => [r.day, r.engine, r.kind, r.accepted, r.voided, r.billable])]));
      out(`total billable: ${total}\n`);
    });
  return keys;
}
