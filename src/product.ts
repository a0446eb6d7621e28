/**
 * Which product a question or a questionnaire is about: the one the person named, else the
 * channel's product (KOTAE_CHANNEL_PRODUCTS), then the default (KOTAE_DEFAULT_PRODUCT).
 * One rule for every surface, so a file answered from the CLI and the same file shared in
 * Slack are answered from the same documents.
 */
import type { Config } from './config.js';

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
