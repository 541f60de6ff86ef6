/**
 * How the CLI tells the user about errors: message + hint on stderr; the exit code is the error's
 * own (PromptsegError.exitCode, from the one EXIT_CODE table in @promptseg/shared). Commander's own
 * usage errors are mapped to PromptsegErrors here too.
 */
import { CommanderError } from 'commander';
import { PromptsegError, toPromptsegError } from '@promptseg/shared';

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
