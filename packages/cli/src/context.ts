/** What every subcommand gets from main.ts: where to write, and how to set the exit code. */
export interface Output {
  write(s: string): unknown;
}

export interface CliContext {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  /** Commander actions return nothing; a command reports its exit code here. */
  setExitCode(code: number): void;
}
