/**
 * Downloads a file shared with the bot, defensively.
 *
 * - Only from Slack's file hosts: the bot token goes in the Authorization header, so a
 *   crafted event naming another host must not receive it. Allowed: files.slack.com, and
 *   for a configured SLACK_API_URL (GovSlack, a test server) its `files.` sibling host
 *   and the host itself. https only, except when the configured API URL is itself http
 *   (a local fake in tests).
 * - No redirects are followed: a redirect would carry the request (and, for same-host
 *   hops, the token) somewhere this check did not approve; Slack serves files directly.
 * - Size cap before the download completes: the metadata's size, the Content-Length
 *   header, and the bytes counted while streaming (the metadata can be stale, the header
 *   absent), aborting the request at the cap.
 * - Content check: a missing or unauthorised token gets Slack's HTML sign-in page with
 *   status 200, so a text/html Content-Type or an HTML body is refused with the likely
 *   cause; then the magic bytes must match the extension (`sniffKind`).
 */
import { InputError, KotaeError } from '../errors.js';
import { sniffKind, type FileKind } from '../spreadsheet/registry.js';
import { checkSize, type SafetyLimits } from '../spreadsheet/safety.js';
import type { SlackFile } from './payloads.js';

export interface DownloadOptions {
  botToken: string;
  /** config.slack.apiUrl: its host's files domain is allowed besides files.slack.com. */
  apiUrl?: string | undefined;
  limits: SafetyLimits;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface Downloaded {
  bytes: Uint8Array;
  kind: FileKind;
  fileName: string;
}

const DEFAULT_HOSTS = ['files.slack.com'];

/** The hosts a file may be downloaded from, and whether plain http is acceptable. */
export function allowedFileHosts(apiUrl: string | undefined): { hosts: Set<string>; allowHttp: boolean } {
  const hosts = new Set(DEFAULT_HOSTS);
  let allowHttp = false;
  if (apiUrl) {
    const api = new URL(apiUrl);
    const base = api.hostname.replace(/^(?:api|www)\./, '');
    hosts.add(`files.${base}`);
    hosts.add(api.host);
    hosts.add(api.hostname);
    allowHttp = api.protocol === 'http:';
  }
  return { hosts, allowHttp };
}

export function checkFileUrl(url: string, apiUrl: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError('the file has no valid download URL');
  }
  const { hosts, allowHttp } = allowedFileHosts(apiUrl);
  const protocolOk = parsed.protocol === 'https:' || (allowHttp && parsed.protocol === 'http:');
  if (!protocolOk || !(hosts.has(parsed.host) || hosts.has(parsed.hostname)) || parsed.username !== '' || parsed.password !== '') {
    throw new InputError(`refusing to download from ${parsed.protocol}//${parsed.host}: not a Slack file host`);
  }
  return parsed;
}

const SPREADSHEET_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'application/octet-stream',
  'application/zip',
  'application/x-zip-compressed',
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/csv',
  'application/vnd.ms-excel',
  'binary/octet-stream',
];

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head');
}

const SIGN_IN_HINT = 'Slack sent its sign-in page instead of the file: the bot token is missing or lacks the files:read scope (reinstall the app).';

export async function downloadSlackFile(file: SlackFile, options: DownloadOptions): Promise<Downloaded> {
  const fileName = file.name;
  if (file.is_external || file.mode === 'external') throw new InputError(`${fileName} is an external (linked) file`, 'Upload the file itself to Slack.');
  // Refuse by metadata first: no byte is fetched for a file that is too big.
  checkSize(file.size, options.limits, fileName);
  if (!file.url_private_download) throw new InputError(`${fileName} cannot be downloaded by the bot`, 'Share the file in a channel the bot is in, or DM it to the bot.');
  const url = checkFileUrl(file.url_private_download, options.apiUrl);

  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('download timed out')), options.timeoutMs ?? 60_000);
  try {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Authorization: `Bearer ${options.botToken}` },
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      throw new KotaeError('upstream', `could not download ${fileName} from Slack`, undefined, { cause: error });
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new KotaeError('upstream', `Slack redirected the download of ${fileName}`, SIGN_IN_HINT);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new KotaeError('upstream', `Slack answered ${response.status} to the download of ${fileName}`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'text/html' || type === 'application/xhtml+xml') {
      await response.body?.cancel();
      throw new KotaeError('upstream', `could not download ${fileName}`, SIGN_IN_HINT);
    }
    if (type !== '' && !SPREADSHEET_TYPES.includes(type)) {
      await response.body?.cancel();
      throw new InputError(`${fileName}: Slack serves it as ${type}, not a spreadsheet`, 'Upload the questionnaire as .xlsx or .csv.');
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared)) {
      try {
        checkSize(declared, options.limits, fileName);
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
    }

    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    if (!reader) throw new KotaeError('upstream', `empty download of ${fileName}`);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.limits.maxBytes) {
        // Stop reading and drop the connection: the cap holds even when size and header lied.
        await reader.cancel();
        controller.abort();
        checkSize(total, options.limits, fileName);
      }
      chunks.push(value);
    }
    const bytes = Buffer.concat(chunks, total);
    checkSize(bytes.byteLength, options.limits, fileName);
    if (looksLikeHtml(bytes)) throw new KotaeError('upstream', `could not download ${fileName}`, SIGN_IN_HINT);
    const kind = sniffKind(bytes, fileName);
    return { bytes, kind, fileName };
  } finally {
    clearTimeout(timer);
  }
}
