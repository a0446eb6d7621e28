/** Checkbox cells and choice placeholders in customers' answer cells. */
import { describe, expect, it } from 'vitest';
import { checkboxChoices, isAnswered, isChoicePlaceholder, markCheckbox, pickStatusValue } from '../../src/spreadsheet/status.js';

describe('choice placeholders', () => {
  it('tells an offer of choices from an answer', () => {
    for (const t of ['はい / いいえ', 'Yes/No/N/A', '○・×・△', '□対応済\n□未対策\n□対応不要', '□ 対応済 / □ 未対策 / □ 対応不要', '選択してください', '(Select)']) {
      expect(isChoicePlaceholder(t)).toBe(true);
      expect(isAnswered(t)).toBe(false);
    }
    for (const t of ['Yes', 'はい', '■対応済\n□未対策\n□対応不要', 'We encrypt with AES-256.', '-', '']) expect(isChoicePlaceholder(t)).toBe(false);
    expect(isAnswered('■対応済 □未対策')).toBe(true);
    expect(isAnswered('')).toBe(false);
  });
});

describe('checkbox cells', () => {
  it('lists the choices and marks the one meaning the status, in place', () => {
    expect(checkboxChoices('□対応済\n□未対策\n□対応不要').map((c) => c.label)).toEqual(['対応済', '未対策', '対応不要']);
    expect(markCheckbox('□対応済\n□未対策\n□対応不要', 'yes')).toBe('■対応済\n□未対策\n□対応不要');
    expect(markCheckbox('□ 対応済 / □ 未対策 / □ 対応不要', 'no')).toBe('□ 対応済 / ■ 未対策 / □ 対応不要');
    expect(markCheckbox('☐ Yes ☐ No ☐ N/A', 'not_applicable')).toBe('☐ Yes ☐ No ■ N/A');
    // Overwriting moves the mark; a status without a box leaves the cell alone.
    expect(markCheckbox('■対応済\n□未対策\n□対応不要', 'no')).toBe('□対応済\n■未対策\n□対応不要');
    expect(markCheckbox('□対応済\n□未対策\n□対応不要', 'partial')).toBeNull();
    expect(markCheckbox('□対応済\n□未対策', 'unknown')).toBeNull();
    // A lone box is a tick for "yes"; nothing in it says anything else.
    expect(isChoicePlaceholder('□')).toBe(true);
    expect(markCheckbox('□', 'yes')).toBe('■');
    expect(markCheckbox('☐', 'no')).toBeNull();
  });

  it('maps 対応済 / 未対策 / 対応不要 in a validation list too', () => {
    expect(pickStatusValue('no', ['対応済', '未対策', '対応不要'], 'ja')).toBe('未対策');
    expect(pickStatusValue('not_applicable', ['対応済', '未対策', '対応不要'], 'ja')).toBe('対応不要');
    expect(pickStatusValue('yes', ['〇', '×', '△'], 'ja')).toBe('〇');
  });
});
