/**
 * The one place prompt files (`prompts/*.md`) are read and rendered.
 *
 * Each file starts with front matter holding at least `version:`; the body is a template
 * with `{{placeholder}}` slots. `PROMPT_VERSION` is a hash of every file's exact bytes, so
 * editing a prompt invalidates the draft cache without anyone remembering to bump a number.
 *
 * The query-rewrite prompt (`rewrite.md`) is versioned on its own (`RewritePrompt.version`), so
 * editing it re-runs rewrites without invalidating cached drafts, and the reverse.
 *
 * Questionnaire and corpus text is untrusted: it is escaped before it goes between the
 * `<question>` / `<evidence>` delimiters, so it can neither close them nor open new ones,
 * and rendering is single-pass, so `{{…}}` inside data is never expanded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Language, Retrieval } from '../domain.js';
import type { EvidenceRef } from './citations.js';

/** `<repo>/prompts/`, resolved from this file so it works from any working directory. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export const PROMPT_FILES = ['system.md', 'answer.ja.md', 'answer.en.md'] as const;

export interface PromptTemplate {
  file: string;
  /** The `version:` from the front matter. */
  version: string;
  /** The template text after the front matter. */
  body: string;
}

export interface PromptSet {
  system: PromptTemplate;
  answer: Record<Language, PromptTemplate>;
  /** Hash of all prompt files; part of the draft cache key. */
  version: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits front matter from the body; the front matter must have a `version:` line. */
export function parsePromptFile(file: string, text: string): PromptTemplate {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new Error(`${file}: missing front matter (--- version: N ---)`);
  const meta = new Map<string, string>();
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const kv = /^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (kv?.[1] !== undefined) meta.set(kv[1], kv[2] ?? '');
  }
  const version = meta.get('version');
  if (!version) throw new Error(`${file}: front matter has no "version:"`);
  return { file, version, body: text.slice(match[0].length).trim() };
}

function readPromptFile(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`prompt file ${path} cannot be read`, { cause: error });
  }
}

/** Reads and parses the prompt files from `dir` (default: the repo's `prompts/`). */
export function loadPromptSet(dir: string = PROMPTS_DIR): PromptSet {
  const hash = createHash('sha256');
  const parsed = new Map<string, PromptTemplate>();
  for (const file of PROMPT_FILES) {
    const text = readPromptFile(dir, file);
    hash.update(`${file}\0${text}\0`);
    parsed.set(file, parsePromptFile(file, text));
  }
  const get = (file: (typeof PROMPT_FILES)[number]): PromptTemplate => {
    const t = parsed.get(file);
    if (!t) throw new Error(`prompt file ${file} not loaded`);
    return t;
  };
  return {
    system: get('system.md'),
    answer: { ja: get('answer.ja.md'), en: get('answer.en.md') },
    version: `p${get('system.md').version}.${get('answer.ja.md').version}.${get('answer.en.md').version}-${hash.digest('hex').slice(0, 16)}`,
  };
}

/** Loaded once at import: the prompts are part of the program, like its source. */
export const DEFAULT_PROMPTS: PromptSet = loadPromptSet();
export const PROMPT_VERSION: string = DEFAULT_PROMPTS.version;

/**
 * Replaces `{{name}}` slots in one pass. A slot without a value is an error (a typo in a
 * prompt file must not silently send "{{evidnce}}" to the model); values are inserted
 * verbatim and never re-scanned.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`prompt placeholder {{${name}}} has no value`);
    return value;
  });
}

/** Escapes untrusted text for inclusion between (or as attributes of) the XML-like delimiters. */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One `<evidence id="E1" …>` element per retrieved passage, all text escaped. */
export function formatEvidence(evidence: readonly EvidenceRef[]): string {
  return evidence
    .map(({ id, hit }) => {
      const p = hit.passage;
      const attrs: [string, string][] = [
        ['id', id],
        ['kind', p.kind],
        ['source', p.source],
        ['title', p.title],
        ['locator', p.locator],
        ['ref', p.ref],
        ['status', p.status],
      ];
      const attrText = attrs
        .filter(([, v]) => v !== '')
        .map(([k, v]) => `${k}="${escapeData(v)}"`)
        .join(' ');
      const lines: string[] = [];
      if (p.sectionPath.length > 0) lines.push(`section: ${escapeData(p.sectionPath.join(' > '))}`);
      if (p.requirement.trim() !== '') lines.push(`requirement: ${escapeData(p.requirement.trim())}`);
      if (p.answer.trim() !== '') lines.push(`vendor answer: ${escapeData(p.answer.trim())}`);
      return `<evidence ${attrText}>\n${lines.join('\n')}\n</evidence>`;
    })
    .join('\n\n');
}

export interface RenderedPrompt {
  system: string;
  user: string;
  /** Which prompt version produced it (for logs and the cache key). */
  version: string;
}

/** Renders the system and answer prompts for one question and its evidence. */
export function renderPrompt(
  retrieval: Pick<Retrieval, 'question' | 'product' | 'lang'>,
  evidence: readonly EvidenceRef[],
  prompts: PromptSet = DEFAULT_PROMPTS,
): RenderedPrompt {
  const product = escapeData(retrieval.product);
  const values: Record<string, string> = {
    product,
    question: escapeData(retrieval.question.trim()),
    evidence: evidence.length > 0 ? formatEvidence(evidence) : '(no evidence)',
    evidence_ids: evidence.length > 0 ? evidence.map((e) => e.id).join(', ') : '(none)',
  };
  return {
    system: renderTemplate(prompts.system.body, values),
    user: renderTemplate(prompts.answer[retrieval.lang].body, values),
    version: prompts.version,
  };
}

export const REWRITE_PROMPT_FILE = 'rewrite.md';

export interface RewritePrompt {
  template: PromptTemplate;
  /** `r<front-matter version>-<hash of the file>`: part of the rewrite cache key. */
  version: string;
}

/** Reads the query-rewrite prompt from `dir` (default: the repo's `prompts/`). */
export function loadRewritePrompt(dir: string = PROMPTS_DIR): RewritePrompt {
  const text = readPromptFile(dir, REWRITE_PROMPT_FILE);
  const template = parsePromptFile(REWRITE_PROMPT_FILE, text);
  return { template, version: `r${template.version}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}` };
}

/** The rewrite request for one question, the question escaped between its delimiters. */
export function renderRewritePrompt(question: string, prompt: RewritePrompt): { user: string; version: string } {
  return { user: renderTemplate(prompt.template.body, { question: escapeData(question.trim()) }), version: prompt.version };
}
