/**
 * Mutually exclusive named alternatives (cloud vendors, countries and regions; data in
 * lexicon/alternatives.tsv). Coverage cannot see that a row saying "hosted on AWS" is the
 * opposite of an answer to "is it hosted on Azure?": the row mentions hosting, the idea the
 * question shares with it, and the vendor is one word among several. This module says when
 * the evidence names a different member of the group the question asks about; retrieve.ts
 * gives such a row a caution (./caution.ts), so that the judgement does not turn it into a "yes".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { matchKey } from '../corpus/clean.js';
import { LEXICON_DIR } from './lexicon.js';
import type { TextKey } from './match.js';
import { isLatin, wordsPattern, type WordEdges } from '../regexp.js';

const Line = z.tuple([z.string().min(1), z.string().min(1), z.string().min(1)]);

interface Member {
  group: string;
  name: string;
  /** Non-Latin variants, compact (substring of TextKey.compact). */
  keys: string[];
  /** Latin variants as whole words of TextKey.spaced. */
  words: RegExp | null;
}

/** A name touches no letter or digit ("c5" is not in "c50") and is also written without its space. */
const NAME_EDGES: WordEdges = { before: 'a-z0-9', after: 'a-z0-9', space: '\\s*' };

export function parseAlternatives(text: string): Member[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [group, name, list] = Line.parse(l.split('\t'));
      const variants = list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');
      const latin = variants.filter(isLatin);
      return {
        group,
        name,
        keys: variants.filter((v) => !isLatin(v)).map(matchKey),
        words: latin.length > 0 ? new RegExp(wordsPattern(latin, NAME_EDGES)) : null,
      };
    });
}

let loaded: Member[] | null = null;
const members = (): Member[] => (loaded ??= parseAlternatives(readFileSync(new URL('alternatives.tsv', LEXICON_DIR), 'utf8')));

const named = (key: TextKey, list: Member[]): Member[] => list.filter((m) => m.keys.some((k) => key.compact.includes(k)) || (m.words?.test(key.spaced) ?? false));

/** "outside Japan", "other than the EU", 国外, 海外, 日本以外: the question asks about every other member. */
const OUTSIDE_EN = /(?:outside(?:\s+of)?|other\s+than|besides|except|beyond)\s+(?:the\s+)?$/;
const OUTSIDE_JA = /^(?:国外|以外|の外|外部)/;
const ABROAD = /海外|国外|abroad|overseas|offshore/;

/**
 * What the question asks, per group: the members it names (or, for "outside X", every member
 * but X). Only groups the question names a member of, or "overseas" (every region but Japan),
 * are returned.
 */
export function askedAlternatives(question: TextKey): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const all = members();
  for (const m of named(question, all)) {
    const outside = isNegated(question, m);
    const set = out.get(m.group) ?? new Set<string>();
    if (outside) for (const o of all) if (o.group === m.group && o.name !== m.name) set.add(o.name);
    if (!outside) set.add(m.name);
    out.set(m.group, set);
  }
  if (!out.has('region') && ABROAD.test(question.spaced)) out.set('region', new Set(all.filter((m) => m.group === 'region' && m.name !== 'japan').map((m) => m.name)));
  return out;
}

function isNegated(question: TextKey, m: Member): boolean {
  const spaced = question.spaced;
  for (const re of m.words ? [m.words] : []) {
    const at = re.exec(spaced);
    if (at && OUTSIDE_EN.test(spaced.slice(0, at.index))) return true;
  }
  return m.keys.some((k) => {
    const at = question.compact.indexOf(k);
    return at >= 0 && OUTSIDE_JA.test(question.compact.slice(at + k.length));
  });
}

/**
 * The alternatives a row names against those asked: it contradicts the question when, in a
 * group the question asks about, it names members and none of them is one asked for ("AWS"
 * for "Azure?", "Tokyo region" for "outside Japan?").
 */
export function contradicts(asked: Map<string, Set<string>>, row: TextKey): boolean {
  if (asked.size === 0) return false;
  const inRow = named(row, members());
  for (const [group, wanted] of asked) {
    const here = inRow.filter((m) => m.group === group);
    if (here.length > 0 && !here.some((m) => wanted.has(m.name))) return true;
  }
  return false;
}

/** Whether a text names a member of a group of named providers (a cloud vendor: AWS, Azure…). */
export function namesProvider(text: TextKey): boolean {
  return named(text, members()).some((m) => m.group === 'cloud');
}

/** Whether a text names a country or region (日本, 国内, Tokyo, EU…). */
export function namesRegion(text: TextKey): boolean {
  return named(text, members()).some((m) => m.group === 'region');
}
