/** Reading what people typed: product flags and a leading product name. */
import { describe, expect, it } from 'vitest';
import { parseAsk } from '../../src/slack/deps.js';

describe('parseAsk', () => {
  const products = ['krew', 'cybozu'];

  it('reads --product, --product= and -p anywhere in the text', () => {
    expect(parseAsk('Do you encrypt data? --product krew')).toEqual({ question: 'Do you encrypt data?', product: 'krew' });
    expect(parseAsk('--product=KREW Do you encrypt data?')).toEqual({ question: 'Do you encrypt data?', product: 'krew' });
    expect(parseAsk('Do you -p krew encrypt data?')).toEqual({ question: 'Do you encrypt data?', product: 'krew' });
  });

  it('takes a first word that is a known product as the product (case-insensitive), as in "@kotae krew ..."', () => {
    expect(parseAsk('krew Do you encrypt data at rest?', products)).toEqual({ question: 'Do you encrypt data at rest?', product: 'krew' });
    expect(parseAsk('Cybozu: データは暗号化されていますか', products)).toEqual({ question: 'データは暗号化されていますか', product: 'cybozu' });
    expect(parseAsk('krew', products)).toEqual({ question: '', product: 'krew' });
  });

  it('leaves other first words, later product names and unknown products in the question', () => {
    expect(parseAsk('krewing is fun?', products)).toEqual({ question: 'krewing is fun?', product: undefined });
    expect(parseAsk('Does krew encrypt data?', products)).toEqual({ question: 'Does krew encrypt data?', product: undefined });
    expect(parseAsk('acme Does it encrypt?', products)).toEqual({ question: 'acme Does it encrypt?', product: undefined });
    // Without the product list nothing but the flag names a product.
    expect(parseAsk('krew Do you encrypt?')).toEqual({ question: 'krew Do you encrypt?', product: undefined });
  });

  it('lets an explicit --product win over a leading product name', () => {
    expect(parseAsk('krew vs cybozu: which encrypts? --product cybozu', products)).toEqual({ question: 'krew vs cybozu: which encrypts?', product: 'cybozu' });
  });
});
