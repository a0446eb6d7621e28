/**
 * A local OpenAI-compatible chat endpoint for tests whose bots are real child processes: the
 * real openai SDK in each process reaches it through OPENAI_BASE_URL, so the model is mocked
 * at the HTTP layer and nowhere else. Each replica gets its own lane (`url('a')` →
 * `…/a/v1`): the server records which lane drafted which question, so a test can tell which
 * process did the work and count drafts per question across processes, and a lane can be
 * made slow (a model taking its time) while another stays quick. Lanes also keep the
 * replicas' draft caches apart (the cache key includes the endpoint), so a row drafted again
 * shows up as a model call instead of hiding behind a cache hit.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { z } from 'zod';
import { LoopbackFake } from './loopback.js';

export interface ModelCall {
  lane: string;
  /** `draft` for an answer (structured output `questionnaire_answer`), `rewrite` for a query rewrite. */
  kind: 'draft' | 'rewrite' | 'other';
  /** The text between the prompt's <question> delimiters, as sent. */
  question: string;
  at: number;
}

/** What the SDK posts to chat/completions, as far as this server reads it. */
const ChatRequest = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional() })),
  response_format: z.object({ json_schema: z.object({ name: z.string() }).optional() }).optional(),
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The answer a lane gives: it names the lane, so a filled file shows which replica drafted each row. */
export const laneAnswer = (lane: string): string => `当社では対応しております（レーン${lane}の下書き）。`;

export class FakeModel extends LoopbackFake {
  readonly calls: ModelCall[] = [];
  /** Milliseconds each draft call of a lane takes before it is answered (rewrites answer at once). */
  readonly draftDelayMs = new Map<string, number>();

  url(lane: string): string {
    return `${this.base}/${lane}/v1`;
  }

  drafts(lane?: string): ModelCall[] {
    return this.calls.filter((c) => c.kind === 'draft' && (lane === undefined || c.lane === lane));
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void readBody(req).then(async (raw) => {
        const lane = (req.url ?? '/').split('/')[1] ?? '';
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON: refused below
        }
        const parsed = ChatRequest.safeParse(body);
        if (!req.url?.endsWith('/chat/completions') || !parsed.success) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not a chat completion' } }));
          return;
        }
        const format = parsed.data.response_format?.json_schema?.name;
        const kind = format === 'questionnaire_answer' ? 'draft' : format === 'query_rewrite' ? 'rewrite' : 'other';
        const text = parsed.data.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
        // The question is escaped data, so it holds no '<'; the instructions mention the delimiters too.
        const question = /<question>\n?([^<]*)\n?<\/question>/u.exec(text)?.[1]?.trim() ?? '';
        this.calls.push({ lane, kind, question, at: Date.now() });
        const delay = kind === 'draft' ? (this.draftDelayMs.get(lane) ?? 0) : 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        // The process that asked was killed while the model "thought": nobody to answer.
        if (res.destroyed || req.socket.destroyed) return;
        const content =
          kind === 'rewrite'
            ? { terms: [], sub_questions: [] }
            : { answer: laneAnswer(lane), status: 'yes', citations: ['E1'], confidence: 0.9, needs_human: false, reason: null };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${this.calls.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'fake-model',
            choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(content), refusal: null }, finish_reason: 'stop', logprobs: null }],
            usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
          }),
        );
      });
    });
    // A client killed mid-request (kill -9) resets its socket; that is expected here.
    server.on('clientError', (_error, socket) => socket.destroy());
    await this.listen(server);
    return this;
  }
}
