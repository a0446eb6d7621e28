/**
 * `kotae products`: which products the index holds, the names `--product` accepts. Without it
 * a new user learned them only from the error of a wrong `--product`. One core call
 * (`app.products()`); no rule here.
 *
 * Exit codes: the table in src/cli/exit.ts (README "Exit codes").
 */
import { Command } from 'commander';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

export const PRODUCTS_USAGE = `Usage: kotae products [--json]

The products kotae can answer for (the names --product accepts), one per line.

Options:
  --json      one JSON document: {"products": [...]}
  -h, --help  show this help`;

export async function runProducts(argv: string[], products: () => Promise<string[]>, io: CliIO): Promise<number> {
  const program = new Command('kotae products')
    .option('--json', 'one JSON document')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(kotae products --help shows the usage)')
    .helpOption(false);
  program.parse(argv, { from: 'user' });
  const json = program.opts<{ json?: boolean }>().json === true;
  const list = await products();
  if (json) {
    io.out(JSON.stringify({ products: list }));
    return EXIT.ok;
  }
  if (list.length === 0) {
    io.err('no products yet: add checksheets under the corpus directory and run kotae ingest');
    return EXIT.ok;
  }
  for (const name of list) io.out(name);
  return EXIT.ok;
}
