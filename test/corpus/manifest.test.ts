import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/corpus/manifest.js';
import { ManifestError } from '../../src/errors.js';

const entry = (file: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  file,
  product: 'sample',
  title: 'サンプル セキュリティチェックシート',
  format: 'checksheet-text',
  language: 'ja',
  ...extra,
});

let root: string;
let corpus: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kotae-manifest-'));
  corpus = path.join(root, 'corpus');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'a.txt'), 'a');
  await writeFile(path.join(corpus, 'b.md'), '# b');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function manifestError(content: unknown): Promise<ManifestError> {
  await writeFile(path.join(corpus, 'manifest.json'), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  const error = await loadManifest(corpus).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManifestError);
  return error as ManifestError;
}

describe('loadManifest', () => {
  it('loads the demo corpus manifest shipped with the repo', async () => {
    const entries = await loadManifest(path.resolve('corpus'));
    expect(entries.map((e) => e.file)).toEqual(['qloba-page.txt', 'cybozu.txt', 'sla-checklist.txt', 'krew.txt', 'monocone.txt']);
    expect(entries.find((e) => e.product === 'sla-checklist')?.vendor).toBeNull();
  });

  it('accepts an optional public http(s) url per document and names the field when it is not one', async () => {
    await writeFile(path.join(corpus, 'manifest.json'), JSON.stringify([entry('a.txt', { url: 'https://example.com/security.pdf' })]));
    expect((await loadManifest(corpus))[0]?.url).toBe('https://example.com/security.pdf');
    for (const url of ['file:///etc/passwd', 'not a url', '']) {
      const error = await manifestError([entry('a.txt', { url })]);
      expect(error.field).toBe('[0] (a.txt).url');
      expect(error.message).toContain('expected a public http(s) address');
    }
  });

  it('applies defaults and normalises file paths so ids stay stable', async () => {
    await writeFile(
      path.join(corpus, 'manifest.json'),
      `\ufeff${JSON.stringify([entry('./a.txt'), { ...entry('b.md', { format: 'markdown', vendor: '株式会社サンプル' }) }])}`,
    );
    const entries = await loadManifest(corpus);
    expect(entries).toEqual([
      { ...entry('a.txt'), vendor: null },
      { ...entry('b.md', { format: 'markdown' }), vendor: '株式会社サンプル' },
    ]);
  });

  it('reports a missing manifest', async () => {
    const error = await loadManifest(corpus).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).field).toBe('(file)');
    expect((error as ManifestError).file).toBe(path.join(corpus, 'manifest.json'));
  });

  it('reports invalid JSON with its line and column', async () => {
    const error = await manifestError('[\n  {"file": "a.txt",\n   "product" "sample"}\n]');
    expect(error.field).toBe('(json)');
    expect(error.message).toContain('line 3, column 14');
  });

  it('rejects a manifest that is not an array', async () => {
    const error = await manifestError({ documents: [entry('a.txt')] });
    expect(error.field).toBe('(root)');
    expect(error.message).toContain('expected an array');
  });

  it('names the entry and field of a missing field', async () => {
    const { title: _omitted, ...noTitle } = entry('a.txt');
    const error = await manifestError([noTitle]);
    expect(error.field).toBe('[0] (a.txt).title');
    expect(error.message).toContain('missing');
  });

  it('names the entry and field of an invalid value', async () => {
    const error = await manifestError([entry('a.txt'), entry('b.md', { product: 'Sample Product' })]);
    expect(error.field).toBe('[1] (b.md).product');
  });

  it('lists the allowed formats when the format is unknown', async () => {
    const error = await manifestError([entry('a.txt'), entry('b.md', { format: 'docx' })]);
    expect(error.field).toBe('[1] (b.md).format');
    expect(error.message).toContain('unknown format "docx"; allowed: checksheet-text, pdf, markdown, qa-xlsx, qa-csv');
  });

  it('rejects misspelt fields instead of ignoring them', async () => {
    const error = await manifestError([entry('a.txt', { questionColum: 2 })]);
    expect(error.field).toBe('[0] (a.txt).questionColum');
    expect(error.message).toContain('unknown field; allowed: file, product, vendor, title, format, language, sheet, questionColumn');
  });

  it('labels an entry without a file name by its index only', async () => {
    const error = await manifestError([entry('a.txt'), 'b.md']);
    expect(error.field).toBe('[1]');
    expect(error.message).toContain('expected an object');
  });

  it('rejects the same file listed twice, however it is spelt', async () => {
    const error = await manifestError([entry('a.txt'), entry('b.md'), entry('./a.txt', { product: 'other' })]);
    expect(error.field).toBe('[2] (./a.txt).file');
    expect(error.message).toContain('duplicate of entry [0]');
  });

  it('rejects a file that does not exist in the corpus directory', async () => {
    const error = await manifestError([entry('a.txt'), entry('krew.txt')]);
    expect(error.field).toBe('[1] (krew.txt).file');
    expect(error.message).toContain('does not exist');
  });

  it('rejects paths escaping the corpus directory even when the file exists', async () => {
    await writeFile(path.join(root, 'secret.txt'), 'outside');
    for (const file of ['../secret.txt', 'sub/../../secret.txt', path.join(root, 'secret.txt')]) {
      const error = await manifestError([entry(file)]);
      expect(error.field).toBe(`[0] (${file}).file`);
      expect(error.message).toContain('outside the corpus directory');
    }
  });
});
