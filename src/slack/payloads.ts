/**
 * zod schemas for the fields of Slack payloads the handlers rely on. Bolt's types describe
 * what Slack usually sends; these check what actually arrived, so a malformed or
 * hand-crafted payload ends in a logged rejection instead of a crash half-way through.
 * Only the fields used are declared; everything else passes through unchecked.
 */
import { z } from 'zod';

const id = z.string().min(1);
const ts = z.string().regex(/^\d+\.\d+$/, 'a Slack timestamp');

/** Review buttons carry `reviewId:version`: the version is the compare-and-set token. */
export const ReviewRef = z
  .string()
  .regex(/^\d{1,15}:\d{1,9}$/, 'expected "reviewId:version"')
  .transform((v) => {
    const [reviewId = '', version = '0'] = v.split(':');
    return { reviewId, version: Number(version) };
  });
export type ReviewRef = z.output<typeof ReviewRef>;

export function reviewRefValue(reviewId: string, version: number): string {
  return `${reviewId}:${version}`;
}

/** "Open review list" / "Export" buttons: the job, the thread its file was posted in, the original file. */
/** A bulk job as buttons and modals carry it; `page` is the job list's page (0 = the first). */
const JobFields = z.object({ jobId: id, channel: id, threadTs: ts, fileId: id, product: z.string().min(1), page: z.number().int().min(0).optional() });

export const JobRef = z
  .string()
  .max(2000)
  .transform((v, ctx) => {
    try {
      return JobFields.parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected {"jobId","channel","threadTs","fileId","product"}' });
      return z.NEVER;
    }
  });
export type JobRef = z.output<typeof JobRef>;

export function jobRefValue(ref: JobRef): string {
  return JSON.stringify(ref);
}

export const SlashCommand = z.object({
  user_id: id,
  channel_id: id,
  text: z.string().default(''),
  response_url: z.url(),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

/** A file attached to a message, as the event lists it. */
export const SlackFile = z.object({
  id,
  name: z.string().default('questionnaire'),
  size: z.number().int().nonnegative(),
  mimetype: z.string().optional(),
  filetype: z.string().optional(),
  /** Missing for external (Google Drive) files and for files the bot may not read. */
  url_private_download: z.url().optional(),
  is_external: z.boolean().optional(),
  mode: z.string().optional(),
});
export type SlackFile = z.infer<typeof SlackFile>;

/** app_mention, or a message in a DM (message.im). */
export const MessageEvent = z.object({
  type: z.enum(['app_mention', 'message']),
  user: id.optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  channel: id,
  channel_type: z.string().optional(),
  text: z.string().default(''),
  ts,
  thread_ts: ts.optional(),
  files: z.array(z.unknown()).optional(),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

export const EventEnvelope = z.object({ event_id: id });

export const BlockAction = z.object({
  user: z.object({ id }),
  trigger_id: z.string().min(1),
  response_url: z.url().optional(),
  channel: z.object({ id }).optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  view: z.object({ id, type: z.string(), hash: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockAction = z.infer<typeof BlockAction>;

/** Where a review button was clicked: what to refresh after the decision. */
export const Origin = z.object({
  /** A message: its response_url replaces it (works for ephemeral messages too). */
  responseUrl: z.url().optional(),
  /** A modal (job review list) to update, or the home tab to re-publish. */
  viewId: z.string().optional(),
  surface: z.enum(['message', 'modal', 'home']),
  /** The job list modal being shown, to re-render it. */
  job: JobFields.optional(),
  /** Channel and thread for notices when there is no response_url. */
  channel: z.string().optional(),
  threadTs: ts.optional(),
});
export type Origin = z.infer<typeof Origin>;

/**
 * What the "approve the confident drafts" confirmation carries: the job, the threshold, and
 * each listed review with the version shown, so a review that moved since is not approved.
 */
export const SelectionMetadata = z
  .string()
  .max(3000)
  .transform((v, ctx) => {
    try {
      return z
        .object({ job: JobFields, minConfidence: z.number().min(0).max(1), items: z.array(z.tuple([z.string().regex(/^\d+$/), z.number().int().positive()])).min(1) })
        .parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'bad private_metadata' });
      return z.NEVER;
    }
  });
export type SelectionMetadata = z.output<typeof SelectionMetadata>;

/** What the edit and reject modals carry between opening and submission. */
export const ModalMetadata = z
  .string()
  .max(3000)
  .transform((v, ctx) => {
    try {
      return z.object({ reviewId: z.string().regex(/^\d+$/), version: z.number().int().positive(), origin: Origin }).parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'bad private_metadata' });
      return z.NEVER;
    }
  });
export type ModalMetadata = z.output<typeof ModalMetadata>;

const InputValue = z.object({ type: z.string(), value: z.string().nullable().optional() });
// Tried first, and only with the key present: a select matched as InputValue lost its
// selected_option (zod strips unknown keys), so the edit form's status never arrived.
const SelectValue = z.object({ type: z.string(), selected_option: z.object({ value: z.string() }).nullable() });

export const ViewSubmission = z.object({
  user: z.object({ id }),
  view: z.object({
    id,
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.union([SelectValue, InputValue]))) }),
  }),
});
export type ViewSubmission = z.infer<typeof ViewSubmission>;

/** The text typed into an input block, or '' when absent. */
export function inputText(view: ViewSubmission['view'], blockId: string, actionId: string): string {
  const v = view.state.values[blockId]?.[actionId];
  return v && 'value' in v && typeof v.value === 'string' ? v.value : '';
}

/** The value of a static select, or undefined when nothing is selected. */
export function selectedValue(view: ViewSubmission['view'], blockId: string, actionId: string): string | undefined {
  const v = view.state.values[blockId]?.[actionId];
  return v && 'selected_option' in v && v.selected_option ? v.selected_option.value : undefined;
}

export const HomeOpened = z.object({ user: id, tab: z.string().optional() });
