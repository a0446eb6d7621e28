/**
 * Sources as a customer may see them. The file sent to a customer (and its evidence sheet)
 * names a cited document by what the customer can look up: the manifest's title and vendor,
 * the item number, page or section, and the document's public `url` when the manifest gives
 * one. Never the file name, line number, review id or anything else only kotae knows.
 *
 * Kinds that are not public documents are not named: a questionnaire answered for another
 * customer (`qa`) would leak that customer's name, and an earlier approved answer is the
 * security team's own statement, not a source the customer can read.
 */
import { loadManifest } from '../corpus/manifest.js';
import type { Citation, Language, ManifestEntry, Passage, SourceKind } from '../domain.js';
import { sourceLabel } from '../source-label.js';
import { stripCoverNotes, stripDraftMarkers } from '../draft/markers.js';

export interface PublicSource {
  kind: SourceKind;
  /** Manifest title; '' for kinds that are not named (see above). */
  title: string;
  vendor: string | null;
  url: string | null;
  /** Where in the document: the row's own number, else its page, else its section heading. */
  ref: string;
  page: number | null;
  section: string;
  /** The cited text in its original language (requirement and answer). */
  quote: string;
}

export interface SourceDeps {
  store: { getByIds(ids: string[]): Promise<Passage[]> };
  corpusDir: string;
}

/** Public descriptions of the given citations, by citation id. */
export async function resolvePublicSources(deps: SourceDeps, citations: readonly Citation[]): Promise<Map<string, PublicSource>> {
  const ids = [...new Set(citations.map((c) => c.id))];
  // The manifest names vendors and urls; a corpus directory that cannot be read leaves them
  // out rather than failing an export whose answers are already approved.
  const manifest = await loadManifest(deps.corpusDir).catch((): ManifestEntry[] => []);
  const byFile = new Map(manifest.map((e) => [e.file, e]));
  const passages = new Map((ids.length > 0 ? await deps.store.getByIds(ids) : []).map((p) => [p.id, p]));
  const out = new Map<string, PublicSource>();
  for (const c of citations) {
    const p = passages.get(c.id);
    const entry = byFile.get(c.source);
    const named = c.kind === 'control' || c.kind === 'policy';
    const title = named ? (entry?.title ?? c.title ?? p?.title ?? '') : '';
    out.set(c.id, {
      kind: c.kind,
      title,
      vendor: named ? (entry?.vendor ?? null) : null,
      url: named ? (entry?.url ?? null) : null,
      ref: named ? c.ref : '',
      page: named ? (p?.page ?? pageOf(c.locator)) : null,
      section: named ? ([...(p?.sectionPath ?? [])].reverse().find((s) => s.trim() !== '' && s !== title) ?? '') : '',
      quote: c.kind === 'qa' ? '' : c.text,
    });
  }
  return out;
}

function pageOf(locator: string): number | null {
  const m = /^p\.(\d+)/.exec(locator);
  return m ? Number(m[1]) : null;
}

const list = (items: string[], and: string): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1) ?? ''}`);

/** `item 6-15`, `items 6-15 and 6-16`, `page 3`, `section “Backups”` (ja: `項目 6-15、6-16`, `3ページ`, `「バックアップ」`). */
export function placeText(sources: readonly PublicSource[], lang: Language): string {
  // A section without a number has its heading as its ref: named as the section it is, not an "item".
  const refs = [...new Set(sources.filter((s) => s.ref !== s.section).map((s) => s.ref).filter(Boolean))];
  const pages = [...new Set(sources.map((s) => s.page).filter((n): n is number => n !== null))].map(String);
  const sections = [...new Set(sources.map((s) => s.section).filter(Boolean))];
  if (lang === 'ja') {
    if (refs.length > 0) return `項目 ${refs.join('、')}`;
    if (pages.length > 0) return `${pages.join('、')}ページ`;
    return sections.map((s) => `「${s}」`).join('');
  }
  if (refs.length > 0) return `${refs.length > 1 ? 'items' : 'item'} ${list(refs, 'and')}`;
  if (pages.length > 0) return `${pages.length > 1 ? 'pages' : 'page'} ${list(pages, 'and')}`;
  return sections.length > 0 ? `${sections.length > 1 ? 'sections' : 'section'} ${list(sections.map((s) => `“${s}”`), 'and')}` : '';
}

/** The document as a customer names it: `メシウス株式会社「krewセキュリティチェックシート」` / `Security Policy (Acme Inc.)`. */
export function documentText(source: Pick<PublicSource, 'title' | 'vendor'>, lang: Language): string {
  if (lang === 'ja') return `${source.vendor ? `${source.vendor} ` : ''}「${source.title}」`;
  return `${source.title}${source.vendor ? ` (${source.vendor})` : ''}`;
}

/**
 * The source line written next to an approved answer: one line per public document, with
 * the places cited in it and its url. '' when none of the citations is a public document.
 */
export function customerSourceNote(sources: readonly PublicSource[], lang: Language): string {
  const byDoc = new Map<string, PublicSource[]>();
  for (const s of sources) {
    if (s.title === '') continue;
    const key = `${s.title}\u0000${s.vendor ?? ''}`;
    byDoc.set(key, [...(byDoc.get(key) ?? []), s]);
  }
  return [...byDoc.values()]
    .map((group) => {
      const first = group[0];
      if (!first) return '';
      const place = placeText(group, lang);
      const doc = documentText(first, lang);
      return lang === 'ja'
        ? `出典: ${doc}${place ? ` ${place}` : ''}${first.url ? ` ${first.url}` : ''}`
        : `Source: ${doc}${place ? `, ${place}` : ''}${first.url ? `, ${first.url}` : ''}`;
    })
    .filter(Boolean)
    .join('\n');
}

/**
 * The citations an approved answer rests on: the rows whose text it quotes (an offline draft
 * quotes each row it is built on, a line of it at least). A row merely cited beside them (it
 * ranked well, but says nothing about the question) is no source of this answer, and the
 * customer's Source line and evidence register must not name it. An answer that quotes none
 * (a model's or a person's own words) rests on every row it cites.
 */
export function restingCitations(text: string, citations: readonly Citation[]): Citation[] {
  const quoted = citations.filter((c) => c.text.split('\n').some((line) => line.trim().length >= 4 && text.includes(line.trim())));
  return quoted.length > 0 ? quoted : [...citations];
}

/**
 * Approved text as it may leave: without kotae's review marker, without the glossary's tags an
 * English draft puts after its source for the reviewer ("item 6-8 of our published krew
 * security checksheet (covers: backup, database)": to a customer they read as part of the document's
 * name), and with any source named the old internal way (`krew.txt L84 (6-15)`, written into
 * drafts before titles were used) named by its title instead.
 */
export function customerAnswerText(text: string, citations: readonly Citation[], sources: ReadonlyMap<string, PublicSource>): string {
  let out = stripCoverNotes(stripDraftMarkers(text));
  for (const c of citations) {
    const internal = sourceLabel({ source: c.source, locator: c.locator, ref: c.ref });
    // Only a public document's title replaces it: never the title of another customer's questionnaire.
    const title = sources.get(c.id)?.title ?? '';
    if (out.includes(internal)) out = out.split(internal).join(title ? sourceLabel({ ...c, title }) : c.ref);
  }
  return out;
}
