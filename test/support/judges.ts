/**
 * Judges that a test states for itself. The committed weights (src/judge/weights.json) are
 * refitted by `npm run train`, and their unflagged threshold moves with every refit (1, "no
 * answer leaves without a flag", whenever 97% precision cannot be shown out of fold). A test
 * about what happens to a confident draft (approving it, counting it, re-drafting it) must
 * not change meaning when that happens, so it names the judge it needs here and passes it to
 * createApp's `judge` seam. The committed models still rank and cite the rows (the tests need
 * the real retrieval); only the thresholds the test depends on are its own.
 */
import { loadWeights, type Judge, type Thresholds } from '../../src/judge/judge.js';

/** The committed models with some of their thresholds replaced by the test's. */
export function committedModelsWith(thresholds: Partial<Thresholds>): (question: string) => Judge {
  return () => {
    const full = loadWeights().full;
    return { ...full, thresholds: { ...full.thresholds, ...thresholds } };
  };
}

/** Every answer it gives (does not decline) goes out without a review flag. */
export const unflaggingJudge = committedModelsWith({ unflagged: 0 });
