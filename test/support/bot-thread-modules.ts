/**
 * What the bot's Slack thread loads when it asks a question (test/ask-thread.test.ts): this
 * child imports what scripts/bot.ts imports, builds the app as the bot does (askThread: true,
 * KOTAE_ASK_THREAD from the environment), asks one question and prints, as one JSON line, the
 * ask's citation count, every module file this thread parsed and every lexicon file it read.
 *
 * Modules are seen through the inspector's Debugger domain: it reports each script V8 parses
 * in this isolate, ES modules included, under its file URL (also those parsed before it was
 * enabled). Files read are seen by wrapping this thread's fs.readFileSync (syncBuiltinESMExports
 * makes `import { readFileSync } from 'node:fs'` see the wrapper). A worker thread has its own
 * isolate and its own fs module, so what the ask thread loads or reads is not reported here.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { syncBuiltinESMExports } from 'node:module';

const session = new Session();
session.connect();
const parsed = new Set<string>();
session.on('Debugger.scriptParsed', (message) => {
  if (message.params.url.startsWith('file://')) parsed.add(message.params.url);
});
await session.post('Debugger.enable');

const read = new Set<string>();
const readFileSync = fs.readFileSync;
fs.readFileSync = ((path: Parameters<typeof readFileSync>[0], options?: Parameters<typeof readFileSync>[1]) => {
  read.add(path instanceof URL ? path.pathname : String(path));
  return readFileSync(path, options);
}) as typeof readFileSync;
syncBuiltinESMExports();

const [{ createApp }, { loadConfig }, { createLogger }] = await Promise.all([import('../../src/app.js'), import('../../src/config.js'), import('../../src/log.js'), import('../../src/slack/app.js')]);
const [question = '', product = ''] = process.argv.slice(2);
const app = await createApp(loadConfig(), { logger: createLogger('silent'), askThread: true });
const asked = await app.ask(question, product);
await app.close();
await session.post('Debugger.disable');
session.disconnect();
const lexiconFiles = [...read].filter((p) => p.includes('/src/retrieve/lexicon/'));
process.stdout.write(`${JSON.stringify({ citations: asked.draft.citations.length, modules: [...parsed], lexiconFiles })}\n`);
