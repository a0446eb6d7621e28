/**
 * Figures as English prose writes them (an English policy): a draft must read them, or it says
 * the evidence "states no frequency" while quoting "every quarter".
 */
import { describe, expect, it } from 'vitest';
import { askedFigures, statedValue } from '../../src/draft/phrasing.js';

describe('figures stated in English prose', () => {
  it('reads cadences as the frequency asked', () => {
    expect(statedValue('How often are access rights reviewed?', 'Team leads review access rights every quarter.')?.en).toBe('every quarter');
    expect(statedValue('How often are databases backed up?', 'Databases are backed up every 6 hours.')?.en).toBe('every 6 hours');
    expect(statedValue('How often is the plan tested?', 'The plan is exercised twice a year.')?.en).toBe('twice a year');
    expect(statedValue('How often are logs reviewed?', 'Logs are reviewed monthly.')?.en).toBe('monthly');
  });

  it('reads amounts of time as the period asked, not the one inside a cadence', () => {
    expect(statedValue('How long are backups retained?', 'Backup copies are retained for 30 days.')?.en).toBe('30 days');
    expect(statedValue('How long are backups retained?', 'Taken every 6 hours and kept for 14 days.')?.en).toBe('14 days');
    expect(statedValue('Within how many hours are customers notified?', 'Customers are notified within 48 hours of confirmation.')?.en).toBe('within 48 hours');
  });

  it('gives each named figure its own ("RPO and RTO")', () => {
    const figures = askedFigures('What are your RPO and RTO?', 'Our recovery point objective (RPO) is 1 hour and our recovery time objective (RTO) is 8 hours.');
    expect(figures.map((f) => [f.what.en, f.value?.en])).toEqual([
      ['RPO', '1 hour'],
      ['RTO', '8 hours'],
    ]);
  });

  it('states no figure where the text has none', () => {
    expect(statedValue('How often are access rights reviewed?', 'Team leads review access rights and remove what is not needed.')).toBeNull();
  });
});
