/**
 * Block Kit rendering: pure functions from core records to Slack messages and views.
 *
 * Every piece of text that did not come from this file (drafts, questions, reasons,
 * quoted evidence, file names, error messages) passes through `sanitizeForSlack` exactly
 * once, here, via `safe()`: so quoted corpus text or model output cannot ping
 * `@channel` or a user, and escaping is never doubled. What goes back into the store
 * (modal initial values) stays raw: escaping it would write `&amp;` into the answer.
 *
 * Slack's limits are enforced here so no handler has to think about them: section text
 * < 3000 characters (long answers are split over several sections), ≤ 50 blocks per
 * message and ≤ 100 per modal or home tab, button values ≤ 2000, modal titles ≤ 24.
 */
import { measuredShare } from '../confidence-words.js';
import type { types } from '@slack/bolt';
import type { Citation, Draft, Status } from '../domain.js';
import { sanitizeForSlack } from '../draft/sanitize.js';
import { APPROVED_STATES, DECIDED_STATES, REJECTED_STATES } from '../review/states.js';
import type { JobDecision, ReviewRecord } from '../review/types.js';
import { rowName, type ImportReport } from '../review/workbook.js';
import { jobRefValue, reviewRefValue, type JobRef, type Origin } from './payloads.js';
import { approvalLabel, sourceLabel } from '../source-label.js';

export type Block = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

export interface SlackMessage {
  /** Notification and accessibility fallback; also mrkdwn, so also sanitised. */
  text: string;
  blocks: Block[];
}

export const LIMITS = {
  sectionText: 3000,
  /** What we aim for: leaves room for a "continued" marker without touching the limit. */
  sectionBudget: 2900,
  messageBlocks: 50,
  viewBlocks: 100,
  contextText: 2000,
  buttonValue: 2000,
  modalTitle: 24,
  inputMaxLength: 3000,
} as const;

export const ACTIONS = {
  requestReview: 'kotae.request_review',
  approve: 'kotae.approve',
  edit: 'kotae.edit',
  reject: 'kotae.reject',
  openJob: 'kotae.job.open',
  exportJob: 'kotae.job.export',
  reviewSheet: 'kotae.job.review_sheet',
  approveSelection: 'kotae.job.approve_selection',
  jobPage: 'kotae.job.page',
} as const;

export const CALLBACKS = {
  edit: 'kotae.edit.submit',
  reject: 'kotae.reject.submit',
  notice: 'kotae.notice',
  job: 'kotae.job.list',
  approveSelection: 'kotae.job.approve_selection.submit',
} as const;

export const EDIT_BLOCK = { answer: 'answer', status: 'status', note: 'note' } as const;
export const REJECT_BLOCK = { reason: 'reason' } as const;
export const INPUT_ACTION = 'value';

/** The one place outside text becomes mrkdwn. */
export function safe(text: string): string {
  return sanitizeForSlack(text);
}

/** `<@U123>` for a real Slack user id; anything else (CLI identities) as escaped text. */
export function userRef(userId: string | null): string {
  if (userId === null) return 'someone';
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : safe(userId);
}

const STATUS_LABEL: Record<Status, string> = {
  yes: 'Yes (in place)',
  no: 'No',
  partial: 'Partially',
  not_applicable: 'Not applicable',
  unknown: 'Unknown',
};

const STATE_LABEL: Record<ReviewRecord['state'], string> = {
  drafted: 'waiting for review',
  needs_human: 'needs a human',
  approved: 'approved',
  edited: 'approved with edits',
  rejected: 'rejected',
  stale: 'stale (a cited source changed)',
  withdrawn: 'replaced by a newer draft',
};

const LANGUAGE_LABEL: Record<Draft['lang'], string> = { ja: 'Japanese', en: 'English' };

/** Cuts raw text to `max` characters with an ellipsis (before escaping). */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Splits already-escaped mrkdwn into chunks of at most `max` characters, at a line break
 * or space where one is near, never inside an `&amp;`-style entity (a cut entity would
 * show as garbage) or a surrogate pair.
 */
export function splitMrkdwn(text: string, max: number = LIMITS.sectionBudget): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = max;
    const window = rest.slice(0, max);
    const newline = window.lastIndexOf('\n');
    const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('。'));
    if (newline > max / 2) cut = newline + 1;
    else if (space > max / 2) cut = space + 1;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp >= 0 && amp > cut - 6 && !rest.slice(amp, cut).includes(';')) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn.length > 0 ? mrkdwn : ' ' } };
}

function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateEscaped(mrkdwn, LIMITS.contextText) }] };
}

/** Truncates escaped mrkdwn without cutting an entity. */
function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${splitMrkdwn(text, max - 1)[0] ?? ''}…`;
}

/** Sections for a long escaped text, each under Slack's 3000-character limit. */
function sections(mrkdwn: string): Block[] {
  return splitMrkdwn(mrkdwn).map(section);
}

/** Each line prefixed with `>`: Slack's block quote. */
function quote(escaped: string): string {
  return escaped
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/**
 * Keeps at most `max` blocks. When cutting, the trailing actions block (the buttons
 * people need) survives and a note says that something was left out.
 */
export function fitBlocks(blocks: Block[], max: number, note = 'Shortened to fit Slack: see the review queue for the rest.'): Block[] {
  if (blocks.length <= max) return blocks;
  const last = blocks[blocks.length - 1];
  const keepLast = last?.type === 'actions';
  const room = max - 1 - (keepLast ? 1 : 0);
  return [...blocks.slice(0, room), context(`_${note}_`), ...(keepLast && last ? [last] : [])];
}

function citationBlocks(citations: readonly Citation[], max = 8): Block[] {
  if (citations.length === 0) return [];
  const shown = citations.slice(0, max);
  const blocks: Block[] = [section('*Sources*')];
  shown.forEach((c, i) => {
    const where = [c.locator, c.ref ? `No. ${c.ref}` : ''].filter(Boolean).join(' · ');
    // A reused approval is named by its question, approver and day, not by kotae's internal source.
    const head = c.approval ? `*${i + 1}.* ${safe(approvalLabel(c.approval, c.ref, 'en'))}` : `*${i + 1}.* \`${safe(c.source)}\`${where ? ` ${safe(where)}` : ''}`;
    blocks.push(section(truncateEscaped(`${head}\n${quote(safe(truncate(c.text, 700)))}`, LIMITS.sectionBudget)));
  });
  if (citations.length > shown.length) blocks.push(context(`and ${citations.length - shown.length} more sources`));
  return blocks;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** What pressing "Send for review" did. */
export interface ReviewRequest {
  /** Who pressed it. */
  by: string;
  /** Approvers the review card reached. */
  notified: number;
  /** Why nobody, or not everybody, was notified: outside text, shown as is. */
  problem?: string | undefined;
}

export interface AnswerView {
  draft: Draft;
  /** The review the draft was stored as; null when it could not be stored. */
  review: Pick<ReviewRecord, 'id' | 'version' | 'state'> | null;
  /** Set once someone pressed "Send for review": replaces the button. */
  sentForReview?: ReviewRequest;
}

function reviewRequestLine(request: ReviewRequest): string {
  const who = `${request.notified} approver${request.notified === 1 ? '' : 's'} notified`;
  if (request.notified > 0) return `${who}${request.problem ? ` (${safe(request.problem)})` : ''}`;
  return `${safe(request.problem ?? 'no approver could be notified')}; it waits in the approvers' App Home queue`;
}

/** The answer to one question, for the person who asked. */
export function answerMessage(view: AnswerView): SlackMessage {
  const { draft, review } = view;
  const weak = draft.abstained || draft.needsHuman;
  const facts = [
    `*${safe(draft.product)}*`,
    `status: *${STATUS_LABEL[draft.status]}*`,
    `confidence ${percent(draft.confidence)}`,
    `question in ${LANGUAGE_LABEL[draft.lang]}`,
    review ? `review #${review.id} (${STATE_LABEL[review.state]})` : 'not in the review queue',
  ].join(' · ');
  const blocks: Block[] = [section(`*Draft answer*: unreviewed, do not send as is.\n${facts}`)];
  blocks.push(section(quote(safe(truncate(draft.question, 500)))));
  if (draft.abstained) {
    // A declined draft may keep the rows nearest the question (a figure they do not state, a question phrased in the
    // negative): they follow as citations, and say something, only not yes or no to what is asked.
    const headline =
      draft.citations.length > 0
        ? '*No answer drafted*: the closest rows of the published checksheets are below, but none says yes or no to what is asked.'
        : '*The published checksheets do not answer this question*, so kotae drafted nothing.';
    blocks.push(section(`:warning: ${headline}\n${safe(draft.reason)}`));
  } else if (draft.needsHuman) {
    // "Weak" only where the draft is likelier wrong than right: a flagged draft at 97% is not weak,
    // it is short of the near-certainty kotae sends unreviewed.
    const why = draft.confidence < 0.5 ? '*The evidence is weak*' : `*Not sure enough to send unreviewed* (${measuredShare(draft.confidence, 'en')})`;
    blocks.push(section(`:warning: ${why}: a security reviewer must check this draft.\n${safe(draft.reason)}`));
  }
  if (!draft.abstained) blocks.push(...sections(safe(draft.draft)));
  blocks.push(...citationBlocks(draft.citations));
  if (review) {
    if (view.sentForReview !== undefined) {
      blocks.push(context(`:white_check_mark: Sent for review by ${userRef(view.sentForReview.by)}: ${reviewRequestLine(view.sentForReview)}.`));
    } else {
      const label = weak ? 'Send question to reviewers' : 'Send for review';
      blocks.push({ type: 'actions', elements: [button(label, ACTIONS.requestReview, reviewRefValue(review.id, review.version), 'primary')] });
    }
  }
  const text = draft.abstained
    ? `No answer in the checksheets for: ${safe(truncate(draft.question, 200))}`
    : `Draft answer (${STATUS_LABEL[draft.status]}): ${safe(truncate(draft.draft, 200))}`;
  return { text, blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}

/** The decision a card shows: approved and rejected are the state table's (src/review/states.ts), not names of our own. */
function decisionLine(review: ReviewRecord): string {
  if (APPROVED_STATES.has(review.state)) {
    return `:white_check_mark: ${STATE_LABEL[review.state]} by ${userRef(review.approvedBy ?? review.updatedBy)}`;
  }
  if (REJECTED_STATES.has(review.state)) {
    return `:x: ${STATE_LABEL[review.state]} by ${userRef(review.updatedBy)}${review.note ? `: ${safe(truncate(review.note, 300))}` : ''}`;
  }
  return `_${STATE_LABEL[review.state]}_`;
}

/** Whether the decision buttons are offered: the core's own notion of "decided". */
function undecided(review: ReviewRecord): boolean {
  return !DECIDED_STATES.has(review.state);
}

function decisionButtons(review: ReviewRecord): Block {
  const ref = reviewRefValue(review.id, review.version);
  return {
    type: 'actions',
    elements: [button('Approve', ACTIONS.approve, ref, 'primary'), button('Edit', ACTIONS.edit, ref), button('Reject', ACTIONS.reject, ref, 'danger')],
  };
}

/** A draft as approvers see it: question, answer, evidence and the decision buttons. */
export function reviewCardBlocks(review: ReviewRecord, options: { requestedBy?: string; compact?: boolean } = {}): Block[] {
  const facts = [`*Review #${review.id}*`, safe(review.product), STATE_LABEL[review.state], `status: ${STATUS_LABEL[review.status]}`];
  if (review.askedBy) facts.push(`asked by ${userRef(review.askedBy)}`);
  if (options.requestedBy) facts.push(`sent for review by ${userRef(options.requestedBy)}`);
  const blocks: Block[] = [section(facts.join(' · '))];
  const questionMax = options.compact ? 300 : 1000;
  const answerMax = options.compact ? 600 : 100_000;
  blocks.push(section(quote(safe(truncate(review.question, questionMax)))));
  if (review.draft.abstained && review.answer === review.draft.draft) {
    blocks.push(section(`:warning: The checksheets do not answer this. ${safe(truncate(review.draft.reason, 500))}`));
  } else {
    blocks.push(...sections(safe(truncate(review.answer, answerMax))));
  }
  if (!options.compact) blocks.push(...citationBlocks(review.citations, 5));
  else if (review.citations.length > 0) {
    blocks.push(context(`Sources: ${review.citations.slice(0, 4).map((c) => safe(sourceLabel(c))).join(', ')}`));
  }
  blocks.push(undecided(review) ? decisionButtons(review) : context(decisionLine(review)));
  return blocks;
}

export function reviewCardMessage(review: ReviewRecord, options: { requestedBy?: string } = {}): SlackMessage {
  return {
    text: `Review #${review.id} (${safe(review.product)}): ${safe(truncate(review.question, 150))}`,
    blocks: fitBlocks(reviewCardBlocks(review, options), LIMITS.messageBlocks),
  };
}

/**
 * What the core warns the approver about a decision they just made (kotae's hedged wording
 * approved as it stands): shown to them alone, in the core's words, which name no command.
 */
export function decisionWarningsMessage(warnings: readonly string[]): SlackMessage {
  const lines = warnings.map((w) => `:warning: ${safe(w)}`);
  return { text: lines.join('\n'), blocks: fitBlocks(lines.flatMap((line) => sections(line)), LIMITS.messageBlocks) };
}

/** The warnings of decisions applied together (a selection, a review sheet), as context lines under their summary. */
function appliedWarnings(applied: ReadonlyArray<{ warnings: readonly string[] }>): Block[] {
  const warnings = applied.flatMap((a) => a.warnings);
  const shown = warnings.slice(0, 10).map((w) => context(`:warning: ${safe(w)}`));
  return warnings.length > shown.length ? [...shown, context(`…and ${warnings.length - shown.length} more warnings like these.`)] : shown;
}

/** A short notice (errors, refusals, confirmations). `message` is outside text. */
export function noticeMessage(message: string, hint?: string): SlackMessage {
  const text = safe(message);
  const blocks: Block[] = [section(text)];
  if (hint) blocks.push(context(safe(hint)));
  return { text, blocks };
}

export function productPromptMessage(products: readonly string[], question: string): SlackMessage {
  const list = products.length > 0 ? products.map((p) => `\`${safe(p)}\``).join(', ') : '_none yet: ask whoever runs kotae to load the documents_';
  const text = `Which product is this about? Start with its name or add \`--product NAME\`. Known products: ${list}`;
  return { text, blocks: [section(text), context(`Your question: ${safe(truncate(question, 300))}`)] };
}

export function usageMessage(products: readonly string[]): SlackMessage {
  const list = products.length > 0 ? products.map((p) => `\`${safe(p)}\``).join(', ') : '_none_';
  const text = [
    '*kotae* drafts answers to security questionnaires from the published checksheets, with sources.',
    '• `/kotae <question> --product krew`: draft one answer (only you see it until it is reviewed)',
    '• mention me with a question in a channel, or DM me: the answer comes in the thread; start with the product (`@kotae krew Do you ...?`) or add `--product krew`',
    '• upload an .xlsx or .csv questionnaire to me (DM, or mention me with the file, e.g. `@kotae krew`) to fill it in',
    `Products: ${list}`,
  ].join('\n');
  return { text, blocks: [section(text)] };
}

export function placeholderMessage(what: string): SlackMessage {
  const text = `:hourglass_flowing_sand: ${safe(what)}`;
  return { text, blocks: [context(text)] };
}

// -----------------------------------------------------------------------------------------
// Modals

function modalTitle(text: string): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, LIMITS.modalTitle) };
}

const STATUS_OPTIONS = (Object.keys(STATUS_LABEL) as Status[]).map((s) => ({
  text: { type: 'plain_text' as const, text: STATUS_LABEL[s] },
  value: s,
}));

/** The edit modal. The answer is prefilled raw (not escaped): it is what gets stored. */
export function editModal(review: ReviewRecord, origin: Origin): ModalView {
  const answer = review.draft.abstained && review.answer === review.draft.draft ? '' : review.answer;
  const tooLong = [...answer].length > LIMITS.inputMaxLength;
  const blocks: Block[] = [
    section(`*Review #${review.id}* · ${safe(review.product)}\n${quote(safe(truncate(review.question, 1500)))}`),
  ];
  if (tooLong) {
    blocks.push(section(`:warning: This answer is longer than Slack lets a form hold (${LIMITS.inputMaxLength} characters). Edit it in the questionnaire's review sheet (Download review sheet), or ask whoever runs kotae to edit review #${review.id}.`));
    return { type: 'modal', callback_id: CALLBACKS.notice, title: modalTitle(`Edit #${review.id}`), close: { type: 'plain_text', text: 'Close' }, blocks };
  }
  const status = STATUS_OPTIONS.find((o) => o.value === review.status);
  blocks.push(
    {
      type: 'input',
      block_id: EDIT_BLOCK.answer,
      label: { type: 'plain_text', text: 'Answer' },
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        multiline: true,
        max_length: LIMITS.inputMaxLength,
        ...(answer ? { initial_value: answer } : {}),
      },
    },
    {
      type: 'input',
      block_id: EDIT_BLOCK.status,
      label: { type: 'plain_text', text: 'Status' },
      element: { type: 'static_select', action_id: INPUT_ACTION, options: STATUS_OPTIONS, ...(status ? { initial_option: status } : {}) },
    },
    {
      type: 'input',
      block_id: EDIT_BLOCK.note,
      optional: true,
      label: { type: 'plain_text', text: 'Note for the audit log' },
      element: { type: 'plain_text_input', action_id: INPUT_ACTION, max_length: 500 },
    },
  );
  if (review.citations.length > 0) blocks.push(...citationBlocks(review.citations, 5));
  return {
    type: 'modal',
    callback_id: CALLBACKS.edit,
    private_metadata: JSON.stringify({ reviewId: review.id, version: review.version, origin }),
    title: modalTitle(`Edit #${review.id}`),
    submit: { type: 'plain_text', text: 'Approve edited' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: fitBlocks(blocks, LIMITS.viewBlocks),
  };
}

export function rejectModal(review: ReviewRecord, origin: Origin): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.reject,
    private_metadata: JSON.stringify({ reviewId: review.id, version: review.version, origin }),
    title: modalTitle(`Reject #${review.id}`),
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*Review #${review.id}* · ${safe(review.product)}\n${quote(safe(truncate(review.question, 1500)))}`),
      {
        type: 'input',
        block_id: REJECT_BLOCK.reason,
        label: { type: 'plain_text', text: 'Why is it rejected?' },
        element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: 1000 },
      },
    ],
  };
}

/** A modal that only says something: refusals where no ephemeral message can go. */
export function noticeModal(title: string, message: string): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.notice,
    title: modalTitle(title),
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(safe(message))],
  };
}

// -----------------------------------------------------------------------------------------
// App Home and the bulk-job review list

export interface ProductQueue {
  product: string;
  items: ReviewRecord[];
  /** True when more are waiting than `items` holds. */
  more: boolean;
}

export function homeView(queues: readonly ProductQueue[], options: { perProduct?: number } = {}): HomeView {
  const perProduct = options.perProduct ?? 5;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Review queue' } },
    context('Drafts waiting for a security reviewer, per product. Only configured approvers can approve, edit or reject.'),
  ];
  const pending = queues.filter((q) => q.items.length > 0);
  if (pending.length === 0) blocks.push(section(':tada: Nothing is waiting for review.'));
  for (const q of pending) {
    // Each item takes 3 blocks; stop adding products before the 100-block limit.
    if (blocks.length + 6 > LIMITS.viewBlocks) {
      blocks.push(context('More products are waiting: they appear here as these are decided.'));
      break;
    }
    blocks.push({ type: 'divider' }, section(`*${safe(q.product)}*: ${q.items.length}${q.more ? '+' : ''} waiting`));
    let shown = 0;
    for (const review of q.items.slice(0, perProduct)) {
      if (blocks.length + 4 > LIMITS.viewBlocks) break;
      const compact = reviewCardBlocks(review, { compact: true });
      // Compact card without the citation context: question+answer in one section.
      const head = compact[0];
      const actions = compact[compact.length - 1];
      const body = `${quote(safe(truncate(review.question, 200)))}\n${safe(truncate(review.draft.abstained && review.answer === review.draft.draft ? `(no answer drafted: ${review.draft.reason})` : review.answer, 400))}`;
      if (head && actions) blocks.push(head, section(truncateEscaped(body, LIMITS.sectionBudget)), actions);
      shown++;
    }
    if (q.more || q.items.length > shown) blocks.push(context(`More ${safe(q.product)} drafts are waiting: they appear here as these are decided.`));
  }
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

/** A compact card of a review for someone who cannot decide on it: its state instead of buttons. */
function readOnlyCard(review: ReviewRecord): Block[] {
  const compact = reviewCardBlocks(review, { compact: true });
  const head = compact[0];
  const body = `${quote(safe(truncate(review.question, 200)))}\n${safe(truncate(review.draft.abstained && review.answer === review.draft.draft ? `(no answer drafted: ${review.draft.reason})` : review.answer, 400))}`;
  return [...(head ? [head] : []), section(truncateEscaped(body, LIMITS.sectionBudget)), context(decisionLine(review))];
}

/**
 * The Home tab of someone who is not an approver: only the questions they asked that
 * still wait for a decision (newest first), never other people's questions or drafts.
 */
export function askerHomeView(items: readonly ReviewRecord[], options: { waiting: number }): HomeView {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your questions' } },
    context('Drafts of questions you asked that are waiting for a security reviewer. Only configured approvers see the whole review queue; you get a DM when yours is decided.'),
  ];
  if (items.length === 0) blocks.push(section('Nothing you asked is waiting for review. Ask with `/kotae`, by mentioning me, or in a DM.'));
  let shown = 0;
  for (const review of items) {
    if (blocks.length + 5 > LIMITS.viewBlocks) break;
    blocks.push({ type: 'divider' }, ...readOnlyCard(review));
    shown++;
  }
  if (options.waiting > shown) blocks.push(context(`and ${options.waiting - shown} more of your questions waiting`));
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

export interface JobSummary {
  fileName: string;
  product: string;
  total: number;
  answered: number;
  abstained: number;
  needsReview: number;
  /** What the writer had to change or skip (e.g. a CSV saved as UTF-8 to keep its characters). */
  notes: string[];
  /** One line per sheet not read, with why (the core's skippedSheetLine). */
  skipped: string[];
}

export function bulkStartedText(fileName: string, total: number, product: string): string {
  return `:hourglass_flowing_sand: Drafting ${total} question${total === 1 ? '' : 's'} for ${safe(product)} from ${safe(fileName)}…`;
}

export function bulkProgressText(fileName: string, done: number, total: number, product: string): string {
  const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
  return `:hourglass_flowing_sand: Drafting ${total} questions for ${safe(product)} from ${safe(fileName)}… ${done}/${total} (${pct}%)`;
}

/** Drafts of a job a reviewer may approve together: how many, at or above which confidence. */
export interface Selection {
  count: number;
  minConfidence: number;
}

export function bulkSummaryMessage(summary: JobSummary, job: JobRef, selection?: Selection): SlackMessage {
  const text =
    `:white_check_mark: Filled *${safe(summary.fileName)}*: ${summary.total} questions for ${safe(summary.product)}. ` +
    `${summary.answered} answered, ${summary.abstained} abstained, ${summary.needsReview} need review.`;
  return {
    text,
    blocks: [
      section(text),
      ...summary.notes.slice(0, 5).map((note) => context(safe(note))),
      ...skippedContext(summary.skipped),
      context(
        'Every answer is a draft until a security reviewer approves it. When all are decided, the approved file can be exported. ' +
          'Reviewers can decide every row in Excel: download the review sheet, fill in 判定 / Decision, and send it back to kotae in a DM.',
      ),
      {
        type: 'actions',
        elements: [
          button('Open review list', ACTIONS.openJob, jobRefValue(job), 'primary'),
          button('Download review sheet', ACTIONS.reviewSheet, jobRefValue(job)),
          ...(selection && selection.count > 0
            ? [button(`Approve ${selection.count} draft${selection.count === 1 ? '' : 's'} at confidence ≥ ${selection.minConfidence}`, ACTIONS.approveSelection, jobRefValue(job))]
            : []),
        ],
      },
    ],
  };
}

/** Sheets listed one by one in a reply; the rest are counted. */
const SKIPPED_SHOWN = 10;

/** Every sheet the run did not read, so none disappears without a word. */
function skippedContext(lines: string[]): Block[] {
  if (lines.length === 0) return [];
  const more = lines.length > SKIPPED_SHOWN ? `\n… and ${lines.length - SKIPPED_SHOWN} more sheets skipped` : '';
  return [context(lines.slice(0, SKIPPED_SHOWN).map(safe).join('\n') + more)];
}

/** A bulk run that could not write a single cell (the CLI's `nothing was written`, exit 1). */
export interface NothingWritten {
  fileName: string;
  product: string;
  /** Question rows found, per table read; `rows` names a table's rows when its sheet holds several (the core's SheetSummary.rows). */
  sheets: Array<{ sheet: string; rows: string | null; questions: number }>;
  /** Rows already answered in the file, left as they were. */
  kept: number;
  /** Rows drafted but given no cell, with why (in the questionnaire's language). */
  unwritten: Array<{ sheet: string; row: number; ref: string; reason: string }>;
  /** One line per sheet not read, with why (the core's skippedSheetLine). */
  skipped: string[];
}

/** Rows listed one by one in the message; the rest are counted. */
const UNWRITTEN_SHOWN = 10;

/**
 * Says plainly that the run wrote nothing and no file is posted (a copy of the customer's
 * file would look like an answered one): where questions were found, and why no cell could
 * take an answer. The review list stays reachable when rows were drafted into the queue.
 */
export function bulkNothingWrittenMessage(n: NothingWritten, job: JobRef | null): SlackMessage {
  const total = n.sheets.reduce((sum, s) => sum + s.questions, 0);
  const found = n.sheets.map((s) => `sheet “${safe(s.sheet)}”${s.rows === null ? '' : ` ${s.rows}`}: ${s.questions}`).join(', ');
  const text =
    `:warning: Nothing was written into *${safe(n.fileName)}* for ${safe(n.product)}: ${total} question row${total === 1 ? '' : 's'} found (${found}), ` +
    'but no cell could take an answer, so no file is posted.';
  const why: string[] = [];
  if (n.kept > 0) why.push(`• ${n.kept} row${n.kept === 1 ? ' is' : 's are'} already answered in the file and kept as they are.`);
  for (const r of n.unwritten.slice(0, UNWRITTEN_SHOWN)) why.push(`• ${safe(r.sheet)} row ${r.row}${r.ref ? ` [${safe(r.ref)}]` : ''}: ${safe(r.reason || 'no cell for this answer')}`);
  if (n.unwritten.length > UNWRITTEN_SHOWN) why.push(`• … and ${n.unwritten.length - UNWRITTEN_SHOWN} more rows with nowhere to write their draft.`);
  const hint =
    n.kept > 0
      ? 'kotae never replaces answers already in a shared file: clear the answer cells you want drafted and share the file again.'
      : `${job ? 'The drafts of these rows are in the review list below. ' : ''}If kotae read the wrong columns, give the sheet a header row naming the question column (e.g. 質問 / Question) and the answer column (e.g. 回答 / Answer), then share it again.`;
  const blocks: Block[] = [section(text), ...(why.length > 0 ? sections(why.join('\n')) : []), ...skippedContext(n.skipped), context(hint)];
  if (job) blocks.push({ type: 'actions', elements: [button('Open review list', ACTIONS.openJob, jobRefValue(job), 'primary')] });
  return { text, blocks };
}

/**
 * The line posted with the approved file. With no approved answer it says so plainly: the
 * file is still posted (the customer's own answers kept, every other row empty), and would
 * otherwise read like the answered file to send.
 */
export function approvedFileComment(approved: number, questions: number): string {
  return approved === 0
    ? `No approved answers: none of the ${questions} rows was approved, so this file has no answers written. Do not send it as answered.`
    : `Approved answers: ${approved} of ${questions} rows. Rows without an approved answer are left empty.`;
}

/** Waiting rows per page of a job's review list. */
export const JOB_PAGE_SIZE = 10;

/**
 * The review list of one bulk job: the waiting rows one page at a time (approve / edit /
 * reject on each), Previous / Next, and the decided ones counted.
 */
export function jobModal(job: JobRef, page: { items: readonly ReviewRecord[]; offset: number; total: number }, decisions: readonly JobDecision[]): ModalView {
  const waitingCount = decisions.filter((d) => !DECIDED_STATES.has(d.state)).length;
  const approved = decisions.filter((d) => d.final).length;
  const rejected = decisions.filter((d) => d.state === 'rejected').length;
  const blocks: Block[] = [
    section(`*${decisions.length} rows*: ${approved} approved, ${rejected} rejected, ${waitingCount} waiting.`),
  ];
  if (waitingCount === 0 && decisions.length > 0) {
    blocks.push(
      section('Every row is decided. Export writes the approved answers into the questionnaire; rejected rows stay empty.'),
      { type: 'actions', elements: [button('Export approved file', ACTIONS.exportJob, jobRefValue(job), 'primary')] },
    );
  }
  const waiting = page.items.filter(undecided);
  if (waiting.length > 0) blocks.push(context(`Waiting rows ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}`));
  for (const review of waiting) {
    if (blocks.length + 5 > LIMITS.viewBlocks) break;
    blocks.push({ type: 'divider' }, ...reviewCardBlocks(review, { compact: true }).filter((b) => b.type !== 'context'));
  }
  const current = job.page ?? 0;
  const nav = [
    ...(current > 0 ? [button(`Previous ${JOB_PAGE_SIZE}`, ACTIONS.jobPage, jobRefValue({ ...job, page: current - 1 }))] : []),
    ...(page.offset + page.items.length < page.total ? [button(`Next ${JOB_PAGE_SIZE}`, ACTIONS.jobPage, jobRefValue({ ...job, page: current + 1 }))] : []),
  ];
  if (nav.length > 0) blocks.push({ type: 'actions', elements: nav });
  return {
    type: 'modal',
    callback_id: CALLBACKS.job,
    private_metadata: jobRefValue(job),
    title: modalTitle('Questionnaire review'),
    close: { type: 'plain_text', text: 'Close' },
    blocks: fitBlocks(blocks, LIMITS.viewBlocks),
  };
}

/** The reply to a review workbook sent to the bot: counts, conflicts (who, when), and the rows to fix. */
export function reviewImportMessage(fileName: string, user: string, report: ImportReport): SlackMessage {
  const count = (to: string): number => report.applied.filter((a) => a.to === to).length;
  const blocks: Block[] = [];
  let text: string;
  if (report.invalid.length > 0) {
    text = `:warning: Nothing from *${safe(fileName)}* was applied: ${report.invalid.length} row${report.invalid.length === 1 ? '' : 's'} to fix first.`;
    blocks.push(section(text), ...report.invalid.slice(0, 10).map((i) => context(`${safe(rowName(report, i.line))}: ${safe(i.error)}`)));
    if (report.invalid.length > 10) blocks.push(context(`…and ${report.invalid.length - 10} more.`));
  } else {
    text =
      `:white_check_mark: Applied *${safe(fileName)}* as ${userRef(user)}: ${count('approved')} approved, ${count('edited')} edited, ${count('rejected')} rejected; ` +
      `${report.unchanged.length} unchanged, ${report.conflicts.length} conflict${report.conflicts.length === 1 ? '' : 's'}, ${report.undecided} without a decision.`;
    blocks.push(section(text));
  }
  for (const c of report.conflicts.slice(0, 10)) {
    blocks.push(context(`Skipped ${safe(rowName(report, c.line))}: already ${c.state} by ${userRef(c.by)} at ${safe(c.at)}.`));
  }
  if (report.conflicts.length > 10) blocks.push(context(`…and ${report.conflicts.length - 10} more conflicts.`));
  blocks.push(...appliedWarnings(report.applied));
  return { text, blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}

/** Rows a confirmation lists; private_metadata (3,000 characters) holds about this many id/version pairs. */
export const SELECTION_MAX_ITEMS = 200;

/**
 * The confirmation before approving a job's confident drafts together: every draft listed
 * (where, confidence, question), so the approver sees what becomes the customer's answer.
 */
export function approveSelectionModal(job: JobRef, items: readonly ReviewRecord[], minConfidence: number): ModalView {
  const listed = items.slice(0, SELECTION_MAX_ITEMS);
  const blocks: Block[] = [
    section(
      `Approve these *${listed.length}* drafts of this questionnaire: none is flagged for a human, each is at confidence ≥ ${minConfidence}. ` +
        'They become the answers sent to the customer, approved by you.',
    ),
  ];
  for (const r of listed) {
    if (blocks.length + 2 > LIMITS.viewBlocks) break;
    blocks.push(context(`*#${r.id}* · ${safe(r.location ?? '')} · ${r.draft.confidence.toFixed(2)} · ${safe(truncate(r.question, 200))}`));
  }
  if (blocks.length - 1 < listed.length) blocks.push(context(`…and ${listed.length - (blocks.length - 1)} more (see the questionnaire's review list).`));
  return {
    type: 'modal',
    callback_id: CALLBACKS.approveSelection,
    private_metadata: JSON.stringify({ job, minConfidence, items: listed.map((r) => [r.id, r.version]) }),
    title: modalTitle('Approve drafts'),
    submit: { type: 'plain_text', text: `Approve ${listed.length}` },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** Posted in the job's thread after a selection was approved. */
export function selectionResultMessage(user: string, minConfidence: number, report: Pick<ImportReport, 'applied' | 'conflicts' | 'invalid'>): SlackMessage {
  const skipped = report.conflicts.length;
  if (report.invalid.length > 0) {
    const text = `:warning: Nothing was approved: ${safe(report.invalid[0]?.error ?? 'a draft was refused')}`;
    return { text, blocks: [section(text)] };
  }
  const text =
    `:white_check_mark: ${userRef(user)} approved ${report.applied.length} draft${report.applied.length === 1 ? '' : 's'} at confidence ≥ ${minConfidence}` +
    `${skipped > 0 ? `; ${skipped} skipped (decided or changed meanwhile)` : ''}.`;
  return { text, blocks: fitBlocks([section(text), ...appliedWarnings(report.applied)], LIMITS.messageBlocks) };
}
