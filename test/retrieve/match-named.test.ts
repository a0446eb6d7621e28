/**
 * A glossary concept may group several distinct named things (SSO and the protocols that
 * provide it). Grouping helps ranking, but one name must not stand in for another: a row that
 * offers OAuth does not answer a question about SAML, while a question about single sign-on
 * in general is answered by a row naming any of them. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { absentTopics, compile, coverage, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const compiled = (question: string) => compile(expandQuery(question, lexicon).concepts);
const absent = (question: string, rows: string[]): string[] => absentTopics(compiled(question), rows.map(textKey));

describe('named things grouped under one concept', () => {
  const oauthRow = '外部IDプロバイダとの認証連携はOAuth 2.0方式で提供しております。';
  const samlRow = 'SAML 2.0によるIdP連携に対応しております。';
  const oidcRow = 'OpenID Connectを用いた外部認証に対応しています。';

  it('does not let a row about one protocol answer a question naming another (EN and JA)', () => {
    expect(absent('Can our staff log in through SAML federation with our IdP?', [oauthRow])).not.toEqual([]);
    expect(absent('SAML連携によるログインは可能ですか？', [oauthRow])).not.toEqual([]);
    expect(absent('Is OpenID Connect supported for login?', [samlRow])).not.toEqual([]);
  });

  it('still finds the named protocol when the row names it itself', () => {
    expect(absent('Can our staff log in through SAML federation with our IdP?', [samlRow])).toEqual([]);
    expect(absent('SAML連携によるログインは可能ですか？', [samlRow])).toEqual([]);
    expect(absent('Is OpenID Connect supported for login?', [oidcRow])).toEqual([]);
  });

  it('answers a question about single sign-on in general with a row naming any of the protocols', () => {
    for (const row of [samlRow, oauthRow, oidcRow]) {
      expect(coverage(compiled('Do you offer single sign-on?'), textKey(row))).toBeGreaterThan(0.5);
      expect(coverage(compiled('Is SSO available?'), textKey(row))).toBeGreaterThan(0.5);
      expect(coverage(compiled('シングルサインオンに対応していますか？'), textKey(row))).toBeGreaterThan(0.5);
    }
  });

  it('lets the broader concept rank rows about the same subject while only the named thing counts as mentioned', () => {
    const saml = expandQuery('Is SAML login available?', lexicon).concepts.find((c) => c.source === 'SAML');
    expect(saml?.variants).toContain('シングルサインオン');
    expect(saml?.own).not.toContain('シングルサインオン');
    expect(absent('Is SAML login available?', ['シングルサインオンに対応しております。'])).toEqual(['SAML']);
  });
});

describe('a version named in a coordinated list', () => {
  const row = 'Connections over TLS 1.0 and 1.1 are refused; TLS 1.2 and TLS 1.3 are accepted.';
  const jaRow = 'TLS1.0、1.1は無効化しております。';

  it('counts every version of "TLS 1.0 and 1.1" as named, not only the first', () => {
    expect(absent('Is TLS 1.1 supported?', [row])).toEqual([]);
    expect(coverage(compiled('Is TLS 1.1 supported?'), textKey(row))).toBeGreaterThan(0.5);
    expect(coverage(compiled('Is TLS 1.1 enabled?'), textKey(jaRow))).toBeGreaterThan(0);
  });

  it('still tells a version the list does not name, and a figure after it is no version', () => {
    expect(absent('Is TLS 1.3 supported?', ['Connections over TLS 1.0 and 1.1 are refused.'])).not.toEqual([]);
    expect(absent('Is TLS 1.1 supported?', ['TLS 1.2 is required and certificates are renewed every 1 or 2 years.'])).not.toEqual([]);
  });
});
