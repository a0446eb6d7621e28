/**
 * A local stand-in for Slack, for tests and the ack-latency bench: a Web API (point
 * SLACK_API_URL / clientOptions.slackApiUrl at `apiUrl`), file downloads behind bot-token
 * auth (Slack's HTML sign-in page otherwise, with status 200, as the real one does),
 * files.uploadV2's upload URLs, and response_url hooks. Every call is recorded so tests
 * can assert what the bot sent. Also signs requests the way Slack does (v0 HMAC-SHA256).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback.js';

export interface RecordedCall {
  method: string;
  /** Form fields (JSON-valued ones parsed) or the JSON body. */
  args: Record<string, unknown>;
  authorization: string | undefined;
  at: number;
}

export interface ApiReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

/** Returns a reply to override the default, or undefined to fall through to it. */
export type ApiOverride = (call: RecordedCall, nth: number) => ApiReply | undefined | Promise<ApiReply | undefined>;

export interface HostedFile {
  id: string;
  name: string;
  bytes: Uint8Array;
  contentType: string;
  /** Size announced in metadata; defaults to the real size (tests lie with it). */
  size?: number;
}

export class FakeSlack extends LoopbackFake {
  readonly calls: RecordedCall[] = [];
  readonly uploads: Array<{ fileId: string; bytes: Buffer; filename: string | undefined }> = [];
  readonly responses: Array<{ hook: string; body: Record<string, unknown> }> = [];
  readonly downloads: Array<{ path: string; authorization: string | undefined; served: 'file' | 'signin' }> = [];
  private readonly overrides = new Map<string, ApiOverride>();
  private readonly files = new Map<string, HostedFile>();
  private readonly counts = new Map<string, number>();
  private ts = 1_700_000_000;
  private uploadSeq = 0;

  constructor(readonly options: { botToken: string; groupMembers?: Record<string, string[]> }) {
    super();
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    await this.listen(server);
    return this;
  }


  /** Replaces the default reply of one Web API method. */
  on(method: string, override: ApiOverride): void {
    this.overrides.set(method, override);
  }

  /** Serves a file at a files-host-like URL; returns the metadata an event would carry. */
  host(file: HostedFile): Record<string, unknown> {
    this.files.set(file.id, file);
    return this.fileMetadata(file);
  }

  fileMetadata(file: HostedFile): Record<string, unknown> {
    return {
      id: file.id,
      name: file.name,
      title: file.name,
      size: file.size ?? file.bytes.byteLength,
      mimetype: file.contentType,
      filetype: file.name.split('.').pop() ?? '',
      mode: 'hosted',
      is_external: false,
      url_private: `${this.base}/files-pri/${file.id}/${encodeURIComponent(file.name)}`,
      url_private_download: `${this.base}/files-pri/${file.id}/download/${encodeURIComponent(file.name)}`,
    };
  }

  responseUrl(hook = 'r1'): string {
    return `${this.base}/hooks/${hook}`;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call of `method` matching `predicate` (waits for it). */
  async waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.calls.find((c) => c.method === method && predicate(c));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${method}; calls so far: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitForResponse(predicate: (body: Record<string, unknown>) => boolean = () => true, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.responses.find((r) => predicate(r.body));
      if (hit) return hit.body;
      if (Date.now() > deadline) throw new Error('timed out waiting for a response_url call');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const raw = await readBody(req);
    const authorization = header(req, 'authorization');

    if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
      const id = url.pathname.split('/')[2] ?? '';
      const file = this.files.get(id);
      if (authorization !== `Bearer ${this.options.botToken}`) {
        // What Slack does without a valid token: its sign-in page, status 200.
        this.downloads.push({ path: url.pathname, authorization, served: 'signin' });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>');
        return;
      }
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      this.downloads.push({ path: url.pathname, authorization, served: 'file' });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
      res.end(Buffer.from(file.bytes));
      return;
    }

    if (url.pathname.startsWith('/upload/')) {
      const fileId = url.pathname.split('/')[2] ?? '';
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': header(req, 'content-type') ?? '' } }).formData();
      let bytes = Buffer.alloc(0);
      let filename: string | undefined;
      for (const [, value] of form.entries()) {
        if (typeof value !== 'string') {
          bytes = Buffer.from(await value.arrayBuffer());
          filename = value.name;
        }
      }
      this.uploads.push({ fileId, bytes, filename });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK - 1');
      return;
    }

    if (url.pathname.startsWith('/hooks/')) {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      this.responses.push({ hook: url.pathname.slice('/hooks/'.length), body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const args = parseArgs(raw, header(req, 'content-type'));
      const call: RecordedCall = { method, args, authorization, at: Date.now() };
      this.calls.push(call);
      const nth = (this.counts.get(method) ?? 0) + 1;
      this.counts.set(method, nth);
      const override = this.overrides.get(method);
      const reply = (override ? await override(call, nth) : undefined) ?? this.defaultReply(call);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
      return;
    }
    res.writeHead(404).end();
  }

  private defaultReply(call: RecordedCall): ApiReply {
    const a = call.args;
    switch (call.method) {
      case 'auth.test':
        return { body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'kotae-test', url: `${this.base}/` } };
      case 'chat.postMessage':
        return { body: { ok: true, channel: a.channel, ts: this.nextTs(), message: { text: a.text } } };
      case 'chat.update':
        return { body: { ok: true, channel: a.channel, ts: a.ts } };
      case 'chat.postEphemeral':
        return { body: { ok: true, message_ts: this.nextTs() } };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { body: { ok: true, view: { id: `V${this.calls.length}`, ...(typeof a.view === 'object' && a.view !== null ? a.view : {}) } } };
      case 'files.getUploadURLExternal': {
        this.uploadSeq += 1;
        const fileId = `FUP${this.uploadSeq}`;
        return { body: { ok: true, upload_url: `${this.base}/upload/${fileId}`, file_id: fileId } };
      }
      case 'files.completeUploadExternal':
        return { body: { ok: true, files: [{ id: 'FUP', title: 'uploaded' }] } };
      case 'files.info': {
        const file = this.files.get(String(a.file));
        return file ? { body: { ok: true, file: this.fileMetadata(file) } } : { body: { ok: false, error: 'file_not_found' } };
      }
      case 'usergroups.users.list': {
        const members = this.options.groupMembers?.[String(a.usergroup)];
        return members ? { body: { ok: true, users: members } } : { body: { ok: false, error: 'no_such_subteam' } };
      }
      default:
        return { body: { ok: true } };
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function parseArgs(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (text === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        out[key] = JSON.parse(t) as unknown;
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[key] = value;
  }
  return out;
}

// -----------------------------------------------------------------------------------------
// Signed requests, as Slack sends them

export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  /** Seconds since the epoch; default now. Stale ones (> 5 minutes) are rejected by Bolt. */
  timestamp?: number;
  /** Sign with this instead of the real secret (bad signature tests). */
  secret?: string;
  headers?: Record<string, string>;
}

/** POSTs a form-encoded body (slash commands; `payload=` for interactivity) or JSON (events), signed. */
export async function sendSigned(
  url: string,
  signingSecret: string,
  body: { form: Record<string, string> } | { json: unknown },
  options: SignedRequestOptions = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const isForm = 'form' in body;
  const raw = isForm ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.secret ?? signingSecret, timestamp, raw),
      ...(options.headers ?? {}),
    },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** An interactivity payload (block_actions, view_submission) as Slack posts it. */
export function interactionForm(payload: unknown): { form: Record<string, string> } {
  return { form: { payload: JSON.stringify(payload) } };
}
