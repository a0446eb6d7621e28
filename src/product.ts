/**
 * Which product a question or a questionnaire is about: the one the person named, else the
 * channel's product (KOTAE_CHANNEL_PRODUCTS), then the default (KOTAE_DEFAULT_PRODUCT).
 * One rule for every surface, so a file answered from the CLI and the same file shared in
 * Slack are answered from the same documents.
 */
import type { Config } from './config.js';
import { InputError } from './errors.js';

/**
 * A product as a person names it. Product keys are lowercase (corpus/manifest.json), so a
 * name that differs only in case ("Krew", "KREW") names that product on every surface
 * (`ask`, a question file's lines, `answer`, the review queue's filters) instead of being
 * refused as unknown on one and as malformed on another.
 */
export function productKey(name: string): string {
  return name.trim().toLowerCase();
}

export function resolveProduct(config: Pick<Config, 'slack'>, requested: { explicit?: string | undefined; channel?: string | undefined }): string | undefined {
  if (requested.explicit !== undefined) return productKey(requested.explicit);
  const byChannel = requested.channel === undefined ? undefined : config.slack.channelProducts.get(requested.channel);
  return byChannel ?? config.slack.defaultProduct;
}

/** Edits (insert, delete, substitute, swap two neighbours) between two names: a typo is one or two. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] ?? [];
      const prev = d[i - 1] ?? [];
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] ?? 0, (d[i - 2]?.[j - 2] ?? 0) + 1);
    }
  }
  return d[a.length]?.[b.length] ?? Number.POSITIVE_INFINITY;
}

/**
 * The one known product a mistyped name most likely meant: within one edit for short names
 * and two from five letters on, and only when no other known product is as close (a guess
 * between two would be a coin toss).
 */
export function closestProduct(name: string, known: readonly string[]): string | undefined {
  const key = productKey(name);
  const allowed = key.length >= 5 ? 2 : 1;
  const near = known.map((k) => ({ k, d: editDistance(key, k) })).filter((x) => x.d > 0 && x.d <= allowed);
  const best = Math.min(...near.map((x) => x.d));
  const at = near.filter((x) => x.d === best);
  return at.length === 1 ? at[0]?.k : undefined;
}

/** The refusal of a product the store has no documents for: the known ones, and the likely one first when the name is a typo of it. */
export function unknownProduct(product: string, known: readonly string[]): InputError {
  if (known.length === 0) return new InputError(`unknown product "${product}"`, 'known products: none yet.', 'ingest-first');
  const guess = closestProduct(product, known);
  return new InputError(`unknown product "${product}"`, `${guess === undefined ? '' : `did you mean "${guess}"? `}known products: ${known.join(', ')}`);
}
