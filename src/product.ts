/**
 * Which product a question or a questionnaire is about, when the person did not say: the
 * channel's product (KOTAE_CHANNEL_PRODUCTS), then the default (KOTAE_DEFAULT_PRODUCT).
 * One rule for every surface, so a file answered from the CLI and the same file shared in
 * Slack are answered from the same documents.
 */
import type { Config } from './config.js';

export function resolveProduct(config: Pick<Config, 'slack'>, requested: { explicit?: string | undefined; channel?: string | undefined }): string | undefined {
  if (requested.explicit !== undefined) return requested.explicit;
  const byChannel = requested.channel === undefined ? undefined : config.slack.channelProducts.get(requested.channel);
  return byChannel ?? config.slack.defaultProduct;
}
