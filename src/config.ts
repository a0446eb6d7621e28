/**
 * The only place environment variables are read. `loadConfig` is called once at each
 * composition root (CLI, bot, scripts) and the resulting object is passed down.
 * Every variable is documented in `.env.example`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors.js';
import { ProductKey } from './domain.js';
import { registerSecret, type LogLevel } from './log.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const bool = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return false;
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
    return z.NEVER;
  });

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^-?\d+$/, 'expected a whole number'))
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

/** `C0123:krew,C0456:cybozu` → Map(channel → product). */
const channelProducts = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const map = new Map<string, string>();
    for (const pair of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [channel, product] = pair.split(':').map((s) => s.trim());
      if (!channel || !product || !ProductKey.safeParse(product).success) {
        ctx.addIssue({ code: 'custom', message: `expected CHANNEL_ID:product pairs, got "${pair}"` });
        return z.NEVER;
      }
      map.set(channel, product);
    }
    return map;
  });

const EnvSchema = z.object({
  KOTAE_DATA_DIR: z.string().default('./data'),
  KOTAE_DATABASE_URL: optionalString.pipe(
    z
      .url()
      .refine((u) => /^postgres(ql)?:\/\//u.test(u), 'expected a postgres:// URL (leave it unset for SQLite in KOTAE_DATA_DIR)')
      .optional(),
  ),
  KOTAE_CORPUS_DIR: z.string().default('./corpus'),
  KOTAE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  KOTAE_CLI_USER: optionalString,
  USER: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  OPENAI_TIMEOUT_MS: int(30_000, 1_000, 600_000),
  OPENAI_MAX_RETRIES: int(2, 0, 10),
  KOTAE_EMBEDDINGS: z.enum(['none', 'openai']).default('none'),
  KOTAE_DRAFTER: z.enum(['auto', 'extractive', 'openai']).default('auto'),

  KOTAE_APPROVERS: list,
  KOTAE_APPROVER_GROUP: optionalString,
  KOTAE_FOUR_EYES: bool,

  KOTAE_CONCURRENCY: int(8, 1, 64),
  KOTAE_MAX_UPLOAD_BYTES: int(20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  // At least a second: the owner renews every third of it, and a database round trip must fit.
  KOTAE_JOB_TTL_MS: int(60_000, 1_000, 3_600_000),
  KOTAE_ASK_THREAD: optionalString.pipe(z.enum(['on', 'off']).optional()),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_MODE: z.enum(['socket', 'http']).default('socket'),
  SLACK_API_URL: optionalString.pipe(z.url().optional()),
  PORT: int(3000, 1, 65_535),
  KOTAE_HOST: z.string().trim().min(1, 'expected an interface address such as 0.0.0.0 or 127.0.0.1').default('0.0.0.0'),
  KOTAE_CHANNEL_PRODUCTS: channelProducts,
  KOTAE_DEFAULT_PRODUCT: optionalString.pipe(ProductKey.optional()),
});

export interface Config {
  dataDir: string;
  /**
   * Where workflow state (reviews, audit, checkpoints, caches, the Slack event log) lives:
   * a postgres:// URL shared by several bot replicas, or undefined for the embedded SQLite
   * database at <dataDir>/workflow.sqlite.
   */
  databaseUrl?: string | undefined;
  corpusDir: string;
  logLevel: LogLevel;
  /**
   * Who the CLI acts as when asking (four-eyes compares it with the approver): declared,
   * not verified; use the person's Slack user id so the CLI and the bot agree.
   */
  cliUser: string | null;
  openai: {
    apiKey: string | undefined;
    baseURL: string | undefined;
    model: string;
    embeddingModel: string;
    timeoutMs: number;
    maxRetries: number;
  };
  embeddings: 'none' | 'openai';
  drafter: 'auto' | 'extractive' | 'openai';
  /**
   * Whether questions are answered on a thread of their own (retrieval, model calls, review
   * enqueue), so that the thread serving Slack only acks and renders: 'on', 'off', or
   * undefined for the entry point's default (on for the bot, off for the CLI and scripts).
   */
  askThread: 'on' | 'off' | undefined;
  review: { approvers: string[]; approverGroup: string | undefined; fourEyes: boolean };
  bulk: {
    concurrency: number;
    maxUploadBytes: number;
    /**
     * How long a bulk job's lease lasts without renewal: a job whose bot died is taken over by
     * a running bot (another replica, or this one restarted) after about this long.
     */
    jobTtlMs: number;
  };
  slack: {
    botToken: string | undefined;
    appToken: string | undefined;
    signingSecret: string | undefined;
    mode: 'socket' | 'http';
    apiUrl: string | undefined;
    port: number;
    /** HTTP mode: the interface to listen on (0.0.0.0 = every interface, as containers need). */
    host: string;
    channelProducts: Map<string, string>;
    defaultProduct: string | undefined;
  };
}

/** Whether a model drafts (and, at ingest, renders Japanese passages in English). */
export function usesModel(config: Pick<Config, 'drafter' | 'openai'>): boolean {
  return config.drafter === 'openai' || (config.drafter === 'auto' && Boolean(config.openai.apiKey || config.openai.baseURL));
}

/** What the Slack bot needs to start in its mode, once every required variable is known to be set. */
export type SlackTokens =
  | { mode: 'socket'; botToken: string; appToken: string }
  | { mode: 'http'; botToken: string; signingSecret: string };

/**
 * The Slack variables the bot cannot start without in the configured mode. Every missing
 * one is named in one ConfigError, so a first-time setup is fixed in one edit of `.env`
 * rather than one restart per variable.
 */
export function requireSlackTokens(slack: Pick<Config['slack'], 'mode' | 'botToken' | 'appToken' | 'signingSecret'>): SlackTokens {
  const { mode, botToken, appToken, signingSecret } = slack;
  if (botToken && mode === 'socket' && appToken) return { mode, botToken, appToken };
  if (botToken && mode === 'http' && signingSecret) return { mode, botToken, signingSecret };
  const missing: ConfigProblem[] = [];
  if (!botToken) missing.push({ variable: 'SLACK_BOT_TOKEN', problem: 'required to run the Slack bot (xoxb-..., from OAuth & Permissions)' });
  if (mode === 'socket' && !appToken) {
    missing.push({ variable: 'SLACK_APP_TOKEN', problem: 'required in Socket Mode (xapp-... with connections:write), or set SLACK_MODE=http' });
  }
  if (mode === 'http' && !signingSecret) {
    missing.push({ variable: 'SLACK_SIGNING_SECRET', problem: 'required in HTTP mode (SLACK_MODE=http): requests are verified with it' });
  }
  throw new ConfigError(missing);
}

/**
 * Loads `<cwd>/.env` into process.env when it exists (variables already set win). Called by
 * the executables only, so tests and library callers stay independent of a local .env.
 */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const path = resolve(cwd, '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The password in a database URL, so the logger redacts it wherever it appears. */
function databasePassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const password = new URL(url).password;
  return password === '' ? undefined : decodeURIComponent(password);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid value');
  }
  const e = parsed.data;
  if (e.KOTAE_EMBEDDINGS === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError('KOTAE_EMBEDDINGS', '"openai" needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  if (e.KOTAE_DRAFTER === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError('KOTAE_DRAFTER', '"openai" needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  const config: Config = {
    dataDir: resolve(cwd, e.KOTAE_DATA_DIR),
    databaseUrl: e.KOTAE_DATABASE_URL,
    corpusDir: resolve(cwd, e.KOTAE_CORPUS_DIR),
    logLevel: e.KOTAE_LOG_LEVEL,
    cliUser: e.KOTAE_CLI_USER ?? e.USER ?? null,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    embeddings: e.KOTAE_EMBEDDINGS,
    drafter: e.KOTAE_DRAFTER,
    askThread: e.KOTAE_ASK_THREAD,
    review: { approvers: e.KOTAE_APPROVERS, approverGroup: e.KOTAE_APPROVER_GROUP, fourEyes: e.KOTAE_FOUR_EYES },
    bulk: { concurrency: e.KOTAE_CONCURRENCY, maxUploadBytes: e.KOTAE_MAX_UPLOAD_BYTES, jobTtlMs: e.KOTAE_JOB_TTL_MS },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      mode: e.SLACK_MODE,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      host: e.KOTAE_HOST,
      channelProducts: e.KOTAE_CHANNEL_PRODUCTS,
      defaultProduct: e.KOTAE_DEFAULT_PRODUCT,
    },
  };
  registerConfigSecrets(config);
  return config;
}

/**
 * Registers the configuration's secrets with the logger of this thread, so they are masked
 * verbatim: loadConfig does it; a thread handed a parsed config (the ask thread) does it too,
 * since each thread has its own logger state.
 */
export function registerConfigSecrets(config: Config): void {
  const { openai, slack, databaseUrl } = config;
  for (const secret of [openai.apiKey, slack.botToken, slack.appToken, slack.signingSecret, databaseUrl, databasePassword(databaseUrl)]) registerSecret(secret);
}
