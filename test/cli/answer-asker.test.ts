/**
 * `kotae answer` records who asked on every draft it puts in the review queue, so four-eyes can
 * stop that person approving it. The command's own handler asks for the asker, as `kotae ask`
 * does (its deps' `askedBy`, else KOTAE_CLI_USER): whoever runs the handler, in the
 * executable or in-process, nothing is drafted for nobody. The exit code and words are the
 * table's (src/cli/exit.ts: bad input, 2) and src/cli/user.ts's.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnswer } from '../../src/cli/answer.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { tempDir, testConfig, withFakeCore } from '../questionnaire/helpers.js';

/** `kotae answer ARGV` through its handler, with nobody configured as the CLI user, and a drafter that counts its calls. */
async function answerAsNobody(argv: (dir: string) => string[], askedBy?: string) {
  const dir = tempDir('kotae-asker-');
  writeFileSync(join(dir, 'q.csv'), 'No,質問,回答\r\n1,監査ログを保管していますか?,\r\n2,バックアップを取得していますか?,\r\n');
  const config = testConfig(join(dir, 'data'), { KOTAE_CLI_USER: '' });
  let drafted = 0;
  const out: string[] = [];
  const err: string[] = [];
  const answer = fakeAnswerer({ onAnswer: () => (drafted += 1) });
  const code = await withFakeCore(config, answer, (questionnaires) =>
    runAnswer(argv(dir), { config, questionnaires, ...(askedBy === undefined ? {} : { askedBy }), out: (s) => out.push(s), err: (s) => err.push(s), interactive: false }),
  );
  return { dir, code, drafted, out: out.join('\n'), err: err.join('\n') };
}

describe('kotae answer asks who is asking', () => {
  it('with nobody to record, refuses before drafting anything: exit 2, the reason and the fix, no file', async () => {
    const res = await answerAsNobody((dir) => [join(dir, 'q.csv'), '--product', 'krew']);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: who is asking is unknown: KOTAE_CLI_USER and USER are both empty\n {2}Set KOTAE_CLI_USER to your Slack user id/);
    expect(res.drafted).toBe(0);
    expect(existsSync(join(res.dir, 'q.filled.csv'))).toBe(false);
  });

  it('with --json, the refusal is the error document on stdout, same exit code', async () => {
    const res = await answerAsNobody((dir) => [join(dir, 'q.csv'), '--product', 'krew', '--json']);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.out)).toMatchObject({ error: { code: 'usage', exit: 2, message: 'who is asking is unknown: KOTAE_CLI_USER and USER are both empty' } });
    expect(res.drafted).toBe(0);
  });

  it('an asker given to the handler (as ask --as gives one) is enough', async () => {
    const res = await answerAsNobody((dir) => [join(dir, 'q.csv'), '--product', 'krew'], 'U_SALES');
    expect(res.code, res.err).toBe(0);
    expect(res.drafted).toBe(2);
    expect(existsSync(join(res.dir, 'q.filled.csv'))).toBe(true);
  });
});
