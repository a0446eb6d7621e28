import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/corpus/manifest.js';
import { ManifestError, type ManifestProblem } from '../../src/errors.js';

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

/** The one problem a manifest with a single mistake reports, checking there is exactly one. */
function onlyProblem(error: ManifestError): ManifestProblem {
  expect(error.problems).toHaveLength(1);
  const [problem] = error.problems;
  if (!problem) throw new Error('no problem reported');
  return problem;
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
      const { field, problem } = onlyProblem(await manifestError([entry('a.txt', { url })]));
      expect(field).toBe('[0] (a.txt).url');
      expect(problem).toContain('expected a public http(s) address');
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
    expect(onlyProblem(error as ManifestError).field).toBe('(file)');
    expect((error as ManifestError).file).toBe(path.join(corpus, 'manifest.json'));
  });

  it('reports invalid JSON with its line and column', async () => {
    const { field, problem } = onlyProblem(await manifestError('[\n  {"file": "a.txt",\n   "product" "sample"}\n]'));
    expect(field).toBe('(json)');
    expect(problem).toContain('line 3, column 14');
  });

  it('rejects a manifest that is not an array', async () => {
    const { field, problem } = onlyProblem(await manifestError({ documents: [entry('a.txt')] }));
    expect(field).toBe('(root)');
    expect(problem).toContain('expected an array');
  });

  it('names the entry and field of a missing field', async () => {
    const { title: _omitted, ...noTitle } = entry('a.txt');
    const { field, problem } = onlyProblem(await manifestError([noTitle]));
    expect(field).toBe('[0] (a.txt).title');
    expect(problem).toContain('missing');
  });

  it('names the entry and field of an invalid value', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt'), entry('b.md', { product: 'Sample Product' })]));
    expect(field).toBe('[1] (b.md).product');
    expect(problem).toContain('lowercase letters');
  });

  it('lists the allowed formats when the format is unknown', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt'), entry('b.md', { format: 'docx' })]));
    expect(field).toBe('[1] (b.md).format');
    expect(problem).toContain('unknown format "docx"; allowed: checksheet-text, pdf, markdown, qa-xlsx, qa-csv');
  });

  it('rejects misspelt fields instead of ignoring them', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt', { questionColum: 2 })]));
    expect(field).toBe('[0] (a.txt).questionColum');
    expect(problem).toContain('unknown field; allowed: file, product, vendor, title, format, language, sheet, questionColumn');
  });

  it('labels an entry without a file name by its index only', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt'), 'b.md']));
    expect(field).toBe('[1]');
    expect(problem).toContain('expected an object');
  });

  it('rejects the same file listed twice, however it is spelt', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt'), entry('b.md'), entry('./a.txt', { product: 'other' })]));
    expect(field).toBe('[2] (./a.txt).file');
    expect(problem).toContain('duplicate of entry [0]');
  });

  it('rejects a file that does not exist in the corpus directory', async () => {
    const { field, problem } = onlyProblem(await manifestError([entry('a.txt'), entry('krew.txt')]));
    expect(field).toBe('[1] (krew.txt).file');
    expect(problem).toContain('does not exist');
  });

  it('rejects paths escaping the corpus directory even when the file exists', async () => {
    await writeFile(path.join(root, 'secret.txt'), 'outside');
    for (const file of ['../secret.txt', 'sub/../../secret.txt', path.join(root, 'secret.txt')]) {
      const { field, problem } = onlyProblem(await manifestError([entry(file)]));
      expect(field).toBe(`[0] (${file}).file`);
      expect(problem).toContain('outside the corpus directory');
    }
  });

  it('reports every mistake at once, each with its entry and field, and loads nothing', async () => {
    await writeFile(path.join(corpus, 'c.txt'), 'c');
    const { title: _omitted, ...noTitle } = entry('a.txt', { format: 'docx' });
    const error = await manifestError([
      noTitle, // two mistakes in one entry
      entry('b.md', { format: 'markdown', languag: 'ja', sheeet: 'x' }), // two misspelt fields
      entry('missing.txt'),
      42,
      entry('./a.txt'), // a duplicate of [0], whose other fields are wrong
      entry('c.txt'), // correct: not a problem
      entry('../outside.txt', { product: 'Bad Product' }),
    ]);
    expect(error.problems.map((p) => p.field)).toEqual([
      '[0] (a.txt).title',
      '[0] (a.txt).format',
      '[1] (b.md).languag',
      '[1] (b.md).sheeet',
      '[2] (missing.txt).file',
      '[3]',
      '[4] (./a.txt).file',
      '[6] (../outside.txt).product',
      '[6] (../outside.txt).file',
    ]);
    expect(error.problems.map((p) => p.problem)).toEqual([
      'missing (required)',
      expect.stringContaining('unknown format "docx"'),
      expect.stringContaining('unknown field'),
      expect.stringContaining('unknown field'),
      expect.stringContaining('"missing.txt" does not exist'),
      expect.stringContaining('expected an object'),
      expect.stringContaining('duplicate of entry [0]'),
      expect.stringContaining('lowercase letters'),
      expect.stringContaining('outside the corpus directory'),
    ]);
  });

  it('says how many mistakes there are and puts each on its own line of the message', async () => {
    const error = await manifestError([entry('a.txt', { format: 'docx' }), entry('gone.txt')]);
    const manifest = path.join(corpus, 'manifest.json');
    expect(error.message.split('\n')).toEqual([
      `${manifest}: 2 problems`,
      `  [0] (a.txt).format: unknown format "docx"; allowed: checksheet-text, pdf, markdown, qa-xlsx, qa-csv`,
      `  [1] (gone.txt).file: "gone.txt" does not exist in ${corpus}`,
    ]);
  });

  it('keeps the one-line form for a single mistake', async () => {
    const error = await manifestError([entry('a.txt'), entry('b.md', { format: 'docx' })]);
    expect(error.message).toBe(
      `${path.join(corpus, 'manifest.json')}: [1] (b.md).format: unknown format "docx"; allowed: checksheet-text, pdf, markdown, qa-xlsx, qa-csv`,
    );
  });
});
