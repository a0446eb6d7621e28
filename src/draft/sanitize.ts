/**
 * Neutralises what a model (or an injected instruction it obeyed) could smuggle into a
 * draft: Slack broadcasts and mentions, and links to places the cited evidence does not
 * mention.
 *
 * - `sanitizeModelText` runs on every model-written string before it becomes part of a
 *   Draft. It removes Slack control sequences and drops URLs that are not among
 *   `allowedUrls` (the URLs found in the cited passages), leaving plain text that is safe
 *   to store, export to a spreadsheet or post.
 * - `sanitizeForSlack` is for the Slack adapter: it escapes `&`, `<` and `>` the way Slack
 *   requires, so no text can form `<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>` or
 *   `<url|label>`, and defuses bare `@channel` / `@here` / `@everyone`. Apply it once, to
 *   any draft, question or passage text that goes into a message.
 */

/** Bare broadcast words that Slack may expand when link_names is on. */
const BROADCAST_WORDS = /(^|[^\w@＠])@(channel|here|everyone)\b/giu;

/** `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^S1|@x>`, `<!date^…>`, `<@U1>`, `<#C1|x>`. */
const SLACK_CONTROL = /<\s*[!@#][^<>]*>/gu;

/** `<https://x|label>`, `<mailto:a@b|label>`, `<https://x>`. */
const SLACK_LINK = /<\s*((?:https?|ftp|mailto|slack|tel):[^<>|\s]*)\s*(?:\|([^<>]*))?>/giu;

/** `[label](https://x)`. */
const MARKDOWN_LINK = /\[([^\]\n]*)\]\(\s*<?((?:https?|ftp|mailto|slack|tel):[^()\s<>]*)>?\s*\)/giu;

/** Scheme URLs and `www.` hosts. Stops at whitespace, brackets, quotes and Japanese punctuation. */
const BARE_URL = /\b(?:(?:https?|ftp|slack|tel):\/\/|mailto:|www\.)[^\s<>"'`()（）「」『』【】、。]+/giu;

/** Host names Slack would auto-link even without a scheme (`evil.example.com`). */
const BARE_DOMAIN =
  /(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|jp|co|dev|ai|app|info|biz|xyz|me|us|uk|ru|cn|tk|ly|gg|sh|site|online|link|click)(?![\w-])(?:\/[^\s<>"'`()（）「」『』【】、。]*)?/giu;

const TRAILING_PUNCTUATION = /[.,;:!?'")\]}、。）」』】]+$/u;

// C0/C1 controls except tab and newline, bidi overrides and zero-width characters that can hide text.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

export const LINK_REMOVED = '[link removed]';

/** Slack-safe text: `&`, `<`, `>` escaped; bare broadcast words defused. */
export function sanitizeForSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST_WORDS, (_m, before: string, word: string) => `${before}＠${word}`);
}

/** Every URL-like string in `text` (used to collect the URLs the cited passages mention). */
export function extractUrls(text: string): string[] {
  const out = new Set<string>();
  for (const re of [BARE_URL, BARE_DOMAIN]) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) out.add(m[0].replace(TRAILING_PUNCTUATION, ''));
  }
  return [...out];
}

/** Scheme and host lower-cased, `www.` and trailing `/` ignored: `HTTPS://Example.com/a/` ≈ `example.com/a`. */
export function normaliseUrl(url: string): string {
  let s = url.trim().replace(TRAILING_PUNCTUATION, '');
  s = s.replace(/^(?:https?|ftp):\/\//i, '');
  const slash = s.indexOf('/');
  const host = (slash < 0 ? s : s.slice(0, slash)).toLowerCase().replace(/^www\./, '');
  const rest = slash < 0 ? '' : s.slice(slash);
  return `${host}${rest}`.replace(/\/+$/, '');
}

export interface Removal {
  kind: 'mention' | 'link';
  /** The removed text (for logs; never echo it into a draft or message). */
  value: string;
}

export interface SanitizeReport {
  text: string;
  /** What was removed or defused. */
  removed: Removal[];
}

/** Like `sanitizeModelText`, and says what it removed. */
export function inspectModelText(text: string, allowedUrls: readonly string[] = []): SanitizeReport {
  const allowed = new Set(allowedUrls.map(normaliseUrl).filter((u) => u !== ''));
  const isAllowed = (url: string): boolean => allowed.has(normaliseUrl(url));
  const removed: Removal[] = [];
  const note = (kind: Removal['kind'], what: string): void => {
    removed.push({ kind, value: what.length > 80 ? `${what.slice(0, 80)}…` : what });
  };

  let out = text.normalize('NFC').replace(INVISIBLE, '');

  // Links with labels first, so their URL is judged before the bare-URL pass.
  out = out.replace(SLACK_LINK, (_m, url: string, label: string | undefined) => {
    const text = (label ?? '').trim();
    if (isAllowed(url)) return text !== '' && text !== url ? `${text} (${url})` : url;
    note('link', url);
    return text !== '' ? text : LINK_REMOVED;
  });
  out = out.replace(MARKDOWN_LINK, (m, label: string, url: string) => {
    if (isAllowed(url)) return m;
    note('link', url);
    return label.trim() !== '' ? label : LINK_REMOVED;
  });
  out = out.replace(SLACK_CONTROL, (m) => {
    note('mention', m);
    return '';
  });

  const keepOrDrop = (m: string): string => {
    if (m === LINK_REMOVED) return m;
    const trailing = TRAILING_PUNCTUATION.exec(m)?.[0] ?? '';
    const url = trailing ? m.slice(0, -trailing.length) : m;
    if (url === '' || isAllowed(url)) return m;
    note('link', url);
    return `${LINK_REMOVED}${trailing}`;
  };
  // Markdown links that survived are allowed; protect them from the bare passes.
  const kept: string[] = [];
  out = out.replace(MARKDOWN_LINK, (m) => {
    kept.push(m);
    return `\u0000${kept.length - 1}\u0000`;
  });
  out = out.replace(BARE_URL, keepOrDrop);
  out = out.replace(BARE_DOMAIN, keepOrDrop);
  out = out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '');

  out = out.replace(BROADCAST_WORDS, (_m, before: string, word: string) => {
    note('mention', `@${word}`);
    return `${before}＠${word}`;
  });

  // Tidy the gaps removals leave, without touching line structure.
  out = out
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').replace(/[ \t]+$/g, ''))
    .join('\n')
    .trim();
  return { text: out, removed };
}

/**
 * Model output → text safe to put in a Draft: Slack mentions/broadcasts removed, links
 * kept only when their URL is in `allowedUrls`.
 */
export function sanitizeModelText(text: string, allowedUrls: readonly string[] = []): string {
  return inspectModelText(text, allowedUrls).text;
}
