/**
 * Text clean-up shared by the parsers: the sample checksheets are PDF extractions with
 * HTML remnants and full-width/half-width noise.
 */

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * Removes HTML tags but keeps link targets as text (`<a href="u">t</a>` → `t (u)`), turns
 * list items and paragraphs into line breaks, decodes the common entities.
 */
export function stripHtml(text: string): string {
  return text
    .replace(/<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>(.*?)<\/a>/gis, (_m, href: string, label: string) => {
      const inner = label.replace(/<[^>]+>/g, '').trim();
      return inner && inner !== href ? `${inner} (${href})` : href;
    })
    .replace(/<\s*(br|\/p|\/li|li|p|ul|\/ul|ol|\/ol)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => ENTITIES[m] ?? m);
}

/** Collapses runs of whitespace (including U+3000) to one space and trims. */
export function squash(text: string): string {
  return text.replace(/[\s\u3000]+/gu, ' ').trim();
}

/** Display text: HTML removed, whitespace collapsed, NFKC-normalised (full-width ASCII → ASCII). */
export function cleanText(text: string): string {
  return squash(stripHtml(text).normalize('NFKC'));
}

/** Matching key: like the evaluation's normalisation (NFKC, no tags, no whitespace, lowercase). */
export function matchKey(text: string): string {
  return stripHtml(text).normalize('NFKC').replace(/[\s\u3000]+/gu, '').toLowerCase();
}
