/**
 * Who runs a CLI command that records an asker in the review queue. Four-eyes (an approver
 * may not approve what they asked) only works if the asker is known, so a command that
 * would record a draft with nobody behind it is refused rather than letting anyone
 * approve it afterwards, their own question included.
 */
import { InputError } from '../errors.js';

/**
 * `user`, or the refusal. `option`: the command's own way to name the asker (`ask` has
 * `--as USER`, `answer` none), so the hint names only what works for the command at hand.
 */
export function requireAsker(user: string | null | undefined, option?: string): string {
  if (user) return user;
  throw new InputError(
    'who is asking is unknown: KOTAE_CLI_USER and USER are both empty',
    `Set KOTAE_CLI_USER to your Slack user id (in .env or the environment)${option === undefined ? '' : `, or pass ${option}`}; drafts with no asker would let anyone approve their own question.`,
  );
}
