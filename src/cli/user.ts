/**
 * Who runs a CLI command that records an asker in the review queue. Four-eyes (an approver
 * may not approve what they asked) only works if the asker is known, so a command that
 * would record a draft with nobody behind it is refused rather than letting anyone
 * approve it afterwards, their own question included.
 */
import { InputError } from '../errors.js';

export function requireAsker(user: string | null | undefined): string {
  if (user) return user;
  throw new InputError(
    'who is asking is unknown: KOTAE_CLI_USER and USER are both empty',
    'Set KOTAE_CLI_USER to your Slack user id (in .env or the environment), or pass --as USER to kotae ask; drafts with no asker would let anyone approve their own question.',
  );
}
