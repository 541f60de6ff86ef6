/**
 * `promptseg models pull|list|verify|remove`: the optional model files (SAM 3 for the sam3
 * engine) in PROMPTSEG_HOME (default ~/.cache/promptseg). The model package is imported inside
 * each action so `promptseg --help` stays fast.
 */
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { PromptsegError } from '@promptseg/shared';
import type { CliContext } from '../context.js';

const MODELS = ['sam3'];
const VARIANTS = ['fp32', 'fp16', 'q4f16', 'int4'];
const LICENCE = 'SAM 3 weights are Meta\'s, under the SAM License (https://github.com/facebookresearch/sam3/blob/main/LICENSE); promptseg does not ship them. Downloading or registering them means you accept that licence.';

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
const totalBytes = (files: readonly { size: number }[]) => files.reduce((a, f) => a + f.size, 0);

function checkModel(name: string): 'sam3' {
  if (!MODELS.includes(name)) throw new PromptsegError('invalid_option', `Unknown model "${name}".`, `Models that can be installed: ${MODELS.join(', ')}.`);
  return name as 'sam3';
}

interface PullFlags { variant?: string; source?: string; from?: string }

export function modelsCommand(ctx: CliContext): Command {
  const cmd = new Command('models').description('Install, check and remove optional model files (SAM 3 for --engine sam3)');
  const home = () => ctx.env.PROMPTSEG_HOME;
  const onHashing = (file: string, i: number, n: number) => ctx.stderr.write(`hashing ${file} (${i + 1}/${n})\n`);

  cmd.command('pull')
    .description('Download a model (resumable, checksummed) or register files you already have (--from)')
    .argument('<model>', `model to install: ${MODELS.join(', ')}`)
    .addOption(new Option('--variant <name>', 'precision: fp32 (default), fp16, q4f16 (usls source) or int4 (--source danilobukvic)').choices(VARIANTS))
    .option('--source <source>', 'usls (default: the usls GitHub release, Layout A, text + box prompts), danilobukvic (Hugging Face, Layout C, text only), hf:OWNER/REPO, or a base URL')
    .option('--from <dir>', 'register SAM 3 files already on this machine (offline install); they stay where they are')
    .addHelpText('after', `
Examples:
  $ promptseg models pull sam3                       # usls fp32 export, ~3.4 GB
  $ promptseg models pull sam3 --variant q4f16       # smaller, slower to load on some CPUs
  $ HF_TOKEN=hf_... promptseg models pull sam3 --source danilobukvic --variant int4
  $ promptseg models pull sam3 --from ./sam3-onnx    # files you downloaded yourself

Files go to $PROMPTSEG_HOME/models/sam3 (default ~/.cache/promptseg). An interrupted download
resumes when rerun. ${LICENCE}`)
    .action(async (name: string, flags: PullFlags) => {
      const model = checkModel(name);
      const lib = await import('@promptseg/model');
      ctx.stderr.write(`note: ${LICENCE}\n`);
      if (flags.from !== undefined) {
        if (flags.source !== undefined) throw new PromptsegError('invalid_option', '--from and --source cannot be combined.', 'Use --from DIR for files you have, or --source to download.');
        const r = await lib.registerModelDir({ dir: flags.from, variant: flags.variant, model, home: home(), onFile: onHashing });
        ctx.stdout.write(`registered ${model} ${r.variant} (${r.naming} file names) from ${r.dir}: ${r.files.length} files, ${mb(totalBytes(r.files))}\n`);
        return;
      }
      const bar = progressBar(ctx);
      try {
        const r = await lib.pullModel({
          model,
          variant: flags.variant,
          source: flags.source,
          home: home(),
          token: ctx.env.HF_TOKEN || undefined,
          hubUrl: ctx.env.HF_ENDPOINT || undefined,
          onEvent: bar.event,
        });
        bar.stop();
        if (r.alreadyInstalled) {
          ctx.stdout.write(`${model} ${r.variant} from ${r.source} is already installed in ${r.dir}\n`);
          return;
        }
        const unpublished = r.files.filter((f) => f.checksum === 'computed').map((f) => f.name);
        ctx.stdout.write(`installed ${model} ${r.variant} from ${r.source} in ${r.dir}: ${r.files.length} files, ${mb(totalBytes(r.files))}${r.resumedBytes ? ` (${mb(r.resumedBytes)} resumed)` : ''}\n`);
        if (unpublished.length) ctx.stdout.write(`  no published checksum for ${unpublished.join(', ')}: sha256 recorded for \`promptseg models verify\`\n`);
      } finally {
        bar.stop();
      }
    });

  cmd.command('list')
    .description('Show installed models')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const lib = await import('@promptseg/model');
      const rows = await new lib.ModelStore(home()).list();
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(rows.map(({ model, status: s }) => ({ model, installed: s.installed, ...(s.installed ? { variant: s.manifest.variant, source: s.manifest.source, dir: s.dir, bytes: totalBytes(s.manifest.files), verified_at: s.manifest.verified_at } : { reason: s.reason }) }))) + '\n');
        return;
      }
      for (const { model, status: s } of rows) {
        if (s.installed) ctx.stdout.write(`${model}  ${s.manifest.variant}  ${mb(totalBytes(s.manifest.files))}  ${s.manifest.source}  ${s.dir}${s.manifest.registered ? '  (registered)' : ''}\n`);
        else ctx.stdout.write(`${model}  not installed (${s.reason})  →  promptseg models pull ${model}\n`);
      }
    });

  cmd.command('verify')
    .description('Re-hash the files against the manifest, then load them and report the export layout')
    .argument('[model]', 'model to check', 'sam3')
    .option('--quick', 'only the checksums (do not load the models)')
    .action(async (name: string, flags: { quick?: boolean }) => {
      const model = checkModel(name);
      const lib = await import('@promptseg/model');
      const store = new lib.ModelStore(home());
      const report = await store.verify(model, onHashing);
      for (const f of report.files) ctx.stdout.write(`${f.ok ? 'ok  ' : 'BAD '} ${f.name}${f.problem ? `: ${f.problem}` : ''}\n`);
      if (!report.ok) {
        throw new PromptsegError('model_invalid', `${report.files.filter((f) => !f.ok).length} ${model} file(s) do not match the manifest.`, `Reinstall: promptseg models remove ${model} && promptseg models pull ${model}`);
      }
      if (flags.quick) return;
      const engine = await lib.Sam3Engine.create({ home: home() });
      try {
        ctx.stdout.write(`loads: ${engine.describe()}; ${engine.model.layout.queries} queries, masks ${engine.model.layout.maskSize.width}x${engine.model.layout.maskSize.height}, ${engine.model.layout.tokenLength} tokens, box prompts ${engine.capabilities.boxPrompts ? 'yes' : 'no'}\n`);
      } finally {
        await engine.release();
      }
    });

  cmd.command('remove')
    .description('Delete an installed model (files registered with --from are left where they are)')
    .argument('<model>', 'model to remove')
    .action(async (name: string) => {
      const model = checkModel(name);
      const lib = await import('@promptseg/model');
      const r = await new lib.ModelStore(home()).remove(model);
      if (!r.removed) ctx.stdout.write(`${model} is not installed\n`);
      else ctx.stdout.write(`removed ${model}${r.keptDir ? ` (your files in ${r.keptDir} were kept)` : ''}\n`);
    });

  return cmd;
}

/** A live bar on a terminal; one line per finished file otherwise (logs, CI, tests). */
function progressBar(ctx: CliContext): { event: (e: import('@promptseg/model').PullEvent) => void; stop: () => void } {
  const tty = ctx.stderr === process.stderr && process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  return {
    event(e) {
      if (e.type === 'plan') {
        ctx.stderr.write(`${e.files.length} files, ${mb(e.totalBytes)}${e.haveBytes ? ` (${mb(e.haveBytes)} already here)` : ''}\n`);
        if (tty) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{bar} {percentage}% | {done}/{size} | {file}', hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(e.totalBytes, e.haveBytes, { done: mb(e.haveBytes), size: mb(e.totalBytes), file: '' });
        }
      } else if (e.type === 'progress') {
        bar?.update(e.overallReceived, { done: mb(e.overallReceived), file: e.file });
      } else if (e.type === 'file-done') {
        if (!bar) ctx.stderr.write(`  ${e.file} ✓ (sha256 ${e.checksum === 'published' ? 'matches the published one' : 'recorded'})\n`);
      }
    },
    stop() {
      if (!stopped) bar?.stop();
      stopped = true;
    },
  };
}
