/**
 * The product's own name in a question is no idea of it. Every row of the product is about the
 * product, so its name tells nothing about which row answers; read as words it was worse than
 * nothing: 「クローバPAGEについて…」 became the ideas クローバ (weight 1) and PAGE, which the
 * glossary reads as paging an on-call engineer (weight 1), and "cybozu.com" became cybozu and
 * コム; a row naming neither then missed "a named topic" and an answerable question was declined
 * (blind trial s15, after the preface stopped answering for the product: ./preface.ts).
 *
 * The name's words are the product key's ("qloba-page": qloba, page) and those of the document
 * title's name part, once the words for the kind of document are taken off (「クローバ PAGE
 * セキュリティチェックシート」: クローバ, page; "cybozu.com …": cybozu, com). A title whose name part
 * shares no word with the key ("クラウドサービスチェックリスト" for sla-checklist) names the kind
 * of service, not the product, and gives none.
 */
import type { Concept } from './expand.js';

/** Words naming the kind of document in a title, and an edition in brackets. */
const DOCUMENT_WORDS = /(?:セキュリティ)?(?:チェックシート|チェックリスト|ホワイトペーパー)|\b(?:security|check\s*sheet|checksheet|checklist|questionnaire|white\s*paper|whitepaper|policy|policies)\b|[(（][^)）]*[)）]/giu;

/** The words of the product's name: the key's, and the title's name part's when it shares one with the key. */
export function productNameWords(product: string, title: string): Set<string> {
  const key = product.normalize('NFKC').toLowerCase().split(/[^a-z0-9]+/u).filter((w) => w !== '');
  const named = title.normalize('NFKC').toLowerCase().replace(DOCUMENT_WORDS, ' ');
  const titleWords = named.split(/[\s.・_\-/]+/u).filter((w) => w !== '');
  const sharesKey = titleWords.some((w) => key.some((k) => w.includes(k) || k.includes(w)));
  return new Set([...key, ...(sharesKey ? titleWords : [])]);
}

/**
 * A member of the product's family, written as the product's name run into a capitalised word
 * (krewSheet, krewData of krew; plumeForm of plume), is still mostly the product: the series'
 * rows name their members in side notes (「※krewSheet/krewDashboardは…対象外です」), so as an idea
 * of full weight it drew a question about using a member on a phone to every such note and
 * away from the row saying the series does not work there. It keeps a little weight, as a row
 * about that member alone (「krewDataはAWSの東京リージョンで…」) is still the better one. The
 * capital keeps a word that merely begins like the name (Slack of an "sla" product) its own.
 */
const FAMILY_WEIGHT = 0.2;

function familyMember(source: string, names: ReadonlySet<string>): boolean {
  const word = source.normalize('NFKC');
  return [...names].some((n) => /^[a-z0-9]{3,}$/u.test(n) && word.length > n.length && word.slice(0, n.length).toLowerCase() === n && /^\p{Lu}/u.test(word.slice(n.length)));
}

/**
 * The question's ideas without those that are only the product's name (an idea per name word: クローバ, PAGE),
 * and with a member of its family lightened (above).
 */
export function withoutProductIdeas(concepts: Concept[], names: ReadonlySet<string>): Concept[] {
  return concepts
    .filter((c) => !names.has(c.source.normalize('NFKC').toLowerCase()))
    .map((c) => (familyMember(c.source, names) ? { ...c, weight: Math.min(c.weight, FAMILY_WEIGHT) } : c));
}
