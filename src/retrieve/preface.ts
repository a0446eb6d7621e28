/**
 * A document's preface: the unnumbered passage in which it describes itself (「本チェックシートは、
 * …が提供する「クローバ PAGE」について、そのセキュリティ対策を記載したものです」, "This document
 * describes the security controls of …"). It names the product, the vendor and "security", so a
 * question naming the product ranked it first and was answered from it, with no status (blind
 * trials s15 and s16: 「クローバPAGEの脆弱性診断を…してもいいですか」 answered with the preface).
 * It answers only a question about the document itself (「このチェックシートは何を基に…」, "which
 * framework is this questionnaire based on?"): for any other question it is no candidate.
 */
import type { Passage } from '../domain.js';

/** The opening of a preface, after any bullet or mark: 「本チェックシートは」「本資料の」, "This document". */
const PREFACE_OPENING = /^[\s\-・◆◇■□●○*•※]*(?:(?:本|この|当)(?:チェックシート|チェックリスト|セキュリティシート|資料|文書|書類|ドキュメント|ホワイトペーパー|書)(?:は|では|の|に|を)|this\s+(?:document|checksheet|check\s*sheet|checklist|questionnaire|whitepaper|white\s+paper|sheet|paper)\b)/iu;

/** Words by which a question asks about the document itself. */
const ABOUT_DOCUMENT = /チェックシート|チェックリスト|資料|文書|ドキュメント|ホワイトペーパー|\b(?:document|checksheet|check\s*sheet|checklist|questionnaire|whitepaper|white\s+paper)\b/iu;

/** Whether a passage is its document's description of itself (unnumbered, opening as a preface does). */
export function isPreface(passage: Pick<Passage, 'ref' | 'requirement' | 'answer'>): boolean {
  return passage.ref === '' && PREFACE_OPENING.test((passage.requirement || passage.answer).normalize('NFKC'));
}

/** Whether a question asks about the document itself (its basis, its updates), which a preface may answer. */
export const asksAboutDocument = (question: string): boolean => ABOUT_DOCUMENT.test(question.normalize('NFKC'));
