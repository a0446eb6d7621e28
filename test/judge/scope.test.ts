import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { inferStatus } from '../../src/corpus/status.js';
import { scopedStatus } from '../../src/judge/scope.js';
import { compile } from '../../src/retrieve/match.js';
import type { Concept } from '../../src/retrieve/expand.js';

const concept = (source: string, variants: string[]): Concept => ({ source, variants, weight: 1, origin: 'glossary' });
/** A ○ row as ingest reads it. */
const circleRow = (answer: string): Passage => ({
  id: '1', product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: 'L1', line: 1, page: null, sectionPath: [], ref: '1', requirement: '', answer, status: inferStatus('○', answer),
});

const monitoring = concept('monitoring', ['監視']);
const notify = concept('notify', ['通知', 'お知らせ']);
const outage = concept('outage', ['停止', '障害']);

describe('a ○ row with an out-of-scope ※ note, for one question', () => {
  const row = circleRow('アプリの監視を実施しております。 ※製品Bと製品Cは基盤上で動作するため、対象外です 停止を検知した場合はお知らせページで通知いたします。');

  it('reads partial at ingest: done, but not for every component', () => {
    expect(row.status).toBe('partial');
  });

  it('stays partial for a question about the statement the note follows', () => {
    expect(scopedStatus(compile([monitoring]), row)).toBe('partial');
  });

  it('is yes for a question answered by a statement after the note, which the note does not reach', () => {
    expect(scopedStatus(compile([notify, outage]), row)).toBe('yes');
  });

  it('is yes for a question naming a component the statement names and the note leaves in scope, partial for one it excludes', () => {
    const named = circleRow('Orbit Cloudの通信はTLS1.2で暗号化しております。 ※Orbit MobileとOrbit Agentは別基盤で動作するため、対象外です');
    const encryption = concept('encryption', ['暗号化']);
    const literal = (name: string): Concept => ({ source: name, variants: [name.toLowerCase()], weight: 1, origin: 'literal' });
    expect(scopedStatus(compile([literal('Orbit Cloud'), encryption]), named)).toBe('yes');
    expect(scopedStatus(compile([literal('Orbit Mobile'), encryption]), named)).toBe('partial');
    // The service as a whole: still partial.
    expect(scopedStatus(compile([encryption]), named)).toBe('partial');
  });

  it('stays partial when the note closes the row, whatever the question asks', () => {
    const closing = circleRow('停止を検知した場合はお知らせページで通知いたします。※製品Bは対象外です');
    expect(scopedStatus(compile([notify, outage]), closing)).toBe('partial');
  });

  it('stays partial when the row also admits something is not done', () => {
    const caveat = circleRow('アプリの監視を実施しております。 ※製品Bは対象外です 停止時の通知は行っておりません。');
    expect(scopedStatus(compile([notify, outage]), caveat)).toBe('partial');
  });
});

describe('a ○ row with both an out-of-scope note and a caveat about something else', () => {
  const row = circleRow('停止を検知した場合はお知らせページで通知いたします。利用者へのログ提供は行っておりません。※製品Bは対象外です');

  it('stays partial for a question the note narrows, although the caveat is about something else', () => {
    expect(scopedStatus(compile([notify, outage]), row)).toBe('partial');
  });
});

describe('a row whose caveat says something is not handed to customers', () => {
  // The ideas of an English or a Japanese question, each with the Japanese the rows are written in.
  const retention = concept('retention period', ['保存期間', '保存']);
  const logs = concept('logs', ['ログ']);
  const ownKeys = concept('customer-managed keys', ['独自の暗号鍵']);
  const encryption = concept('encryption', ['暗号化']);
  const row = circleRow('アクセスログは13か月間保存しております。ただし、お客様へのログの提供は行っておりません。');

  it('reads partial at ingest', () => {
    expect(row.status).toBe('partial');
  });

  it('is yes for a question about the logs themselves (how long they are kept): the caveat is about another service', () => {
    expect(scopedStatus(compile([retention, logs]), row)).toBe('yes');
  });

  it('is partial for a question asking to be given the logs', () => {
    expect(scopedStatus(compile([logs]), row, true)).toBe('partial');
  });

  it('is partial for a question asking to be given a kind of log the caveat names only by its last word (監査ログ, ログ)', () => {
    const auditLogs = concept('audit logs', ['監査ログ', '操作ログ']);
    expect(scopedStatus(compile([auditLogs]), row, true)).toBe('partial');
    // Not asked to be given them: the caveat is still about another service.
    expect(scopedStatus(compile([retention, auditLogs]), row)).toBe('yes');
    // A caveat about handing over something else (a certificate) does not narrow it.
    const certificate = circleRow('アクセスログは13か月間保存しております。ただし、データ消去証明書の発行は行っておりません。');
    expect(scopedStatus(compile([auditLogs]), certificate, true)).toBe('yes');
  });

  it('reads the last part of a katakana compound the same way (システムログ, ログ), never the tail of another word (ブログ)', () => {
    const systemLogs = concept('system logs', ['システムログ']);
    expect(scopedStatus(compile([systemLogs]), row, true)).toBe('partial');
    const blog = circleRow('システムログは13か月間保存しております。ただし、社内ブログの提供は行っておりません。');
    expect(scopedStatus(compile([systemLogs]), blog, true)).toBe('yes');
  });

  it('counts an idea the question names only in brackets (記録(システムログ)) for what it asks to be given', () => {
    const records = concept('records', ['記録']);
    const systemLogs = concept('system logs', ['システムログ']);
    expect(scopedStatus(compile([records]), row, true, compile([records, systemLogs]))).toBe('partial');
  });

  it('stays partial when the caveat brings an idea of the question the row’s statement does not mention', () => {
    const keys = circleRow('通信は暗号化しております。ただし、お客様独自の暗号鍵を利用する機能は提供しておりません。');
    expect(scopedStatus(compile([encryption, ownKeys]), keys)).toBe('partial');
  });
});
