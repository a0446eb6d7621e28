/**
 * A question that lists its asks ("(1)… (2)…", ①②③, "1) 2)", "a. b.", ・ bullets, one a line)
 * is one ask per item, each with the lead-in's request and subject when the item is only a noun
 * phrase. Wordings are this test's own.
 */
import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../src/retrieve/subquestions.js';

describe('a listed question', () => {
  it('asks each numbered item with the lead-in’s request', () => {
    expect(splitClauses('監査ログについて、以下を教えてください。①保存期間②閲覧できる担当者③改ざん対策')).toEqual([
      '監査ログについて、保存期間を教えてください',
      '監査ログについて、閲覧できる担当者を教えてください',
      '監査ログについて、改ざん対策を教えてください',
    ]);
    expect(splitClauses('Please describe the following: (1) your patch cadence (2) how emergency patches are approved (3) exceptions handling')).toEqual([
      'Please describe your patch cadence',
      'how emergency patches are approved',
      'Please describe exceptions handling',
    ]);
  });

  it('gives earlier items the request the last one carries', () => {
    expect(splitClauses('(1)鍵の保管場所、(2)鍵の更新周期を教えてください。')).toEqual(['鍵の保管場所を教えてください', '鍵の更新周期を教えてください']);
  });

  it('keeps items that are questions of their own, and drops a request that only announces the list', () => {
    expect(splitClauses('Please answer the following:\n1) Is SSO supported?\n2) Is SCIM provisioning available?\n3) Can sessions be revoked centrally?')).toEqual([
      'Is SSO supported?',
      'Is SCIM provisioning available?',
      'Can sessions be revoked centrally?',
    ]);
    expect(splitClauses('Describe your change management: a. approval steps b. rollback planning')).toEqual([
      'Describe your change management: approval steps',
      'Describe your change management: rollback planning',
    ]);
  });

  it('reads ・ bullets and one item a line', () => {
    expect(splitClauses('委託先管理の状況を教えてください。\n・選定基準\n・定期的な評価')).toEqual([
      '委託先管理の状況の選定基準を教えてください',
      '委託先管理の状況の定期的な評価を教えてください',
    ]);
    expect(splitClauses('次の点をご回答ください:\n入館時の本人確認\n来訪者の同伴ルール\n監視カメラの設置場所')).toHaveLength(3);
  });

  it('reads "1.item" without a space, "- " bullets, a lead-in naming "the following", and a request the last item carries after a topic', () => {
    expect(splitClauses('次の点をご回答ください。\n1.鍵の保管場所\n2.鍵の更新周期')).toEqual(['鍵の保管場所をご回答ください', '鍵の更新周期をご回答ください']);
    expect(splitClauses('Please provide:\n- your on-call rota\n- your escalation matrix')).toEqual(['Please provide your on-call rota', 'Please provide your escalation matrix']);
    expect(splitClauses('Which of the following do you support?\nWebAuthn\nTOTP\nPush approval')).toHaveLength(3);
    expect(splitClauses('端末管理について 1)紛失時の手順 2)遠隔消去 を教えてください')).toEqual(['端末管理について紛失時の手順を教えてください', '端末管理について遠隔消去を教えてください']);
  });

  it('does not take a ・ inside a phrase, a version number or a lone marker for a list', () => {
    expect(splitClauses('利用者の登録・削除は管理画面から行えますか?')).toEqual([]);
    expect(splitClauses('Do you support TLS 1.2 and 1.3 only?')).toEqual([]);
    expect(splitClauses('Is (1) the only supported region for backups?')).toEqual([]);
  });
});
