/**
 * How the CLI tells the user about errors: message + hint on stderr, and the exit code from the
 * one table in @promptseg/shared (EXIT_CODE). Commander's own usage errors are mapped here too.
 */
import { CommanderError } from 'commander';
import { EXIT_CODE, PromptsegError, toPromptsegError } from '@promptseg/shared';

export function formatError(e: PromptsegError, where?: string): string {
  const head = where ? `${where}: ${e.message}` : e.message;
  return `error: ${head}\n  hint: ${e.hint}`;
}

/** Any thrown value as a PromptsegError, reading commander's usage errors as invalid options. */
export function asPromptsegError(e: unknown): PromptsegError {
  if (e instanceof CommanderError) {
    const msg = e.message.replace(/^error:\s*/, '');
    return new PromptsegError('invalid_option', msg.charAt(0).toUpperCase() + msg.slice(1), 'Run `promptseg --help` for the commands, `promptseg <command> --help` for their options.');
  }
  return toPromptsegError(e);
}

export function exitCodeOf(e: PromptsegError): number {
  return EXIT_CODE[e.code];
}
