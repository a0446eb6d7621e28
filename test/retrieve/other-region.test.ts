/**
 * "In a different region?" asks where: only a row naming a region (or country) can say yes to
 * it. A row about backup generations or retention is silent on the place, and the question is
 * then a fact no cited row states (declined, a person answers). Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { asksForRegion, statesRegion } from '../../src/retrieve/facts.js';

describe('a question about another region', () => {
  it('asks for a region, in either language', () => {
    expect(asksForRegion('Are replicas kept in a separate region from production?', 'en')).toBe(true);
    expect(asksForRegion('Is the standby site in another region?', 'en')).toBe(true);
    expect(asksForRegion('複製データは別リージョンにも保管していますか。', 'ja')).toBe(true);
    expect(asksForRegion('How many backup generations do you keep?', 'en')).toBe(false);
  });

  it('is stated by a row naming a region, not by one about generations', () => {
    expect(statesRegion('バックアップは東京リージョンと大阪リージョンに保管しています。')).toBe(true);
    expect(statesRegion('バックアップは14世代保管しています。')).toBe(false);
  });
});
