/**
 * Who may decide on a draft. Pure and synchronous: group membership is an input, resolved
 * beforehand by the caller (Slack usergroups API, a cached set), so the check itself can
 * run inside the SQLite transaction that applies the decision.
 */
import type { Config } from '../config.js';
import { KotaeError } from '../errors.js';
import type { DecisionAction } from './states.js';

export type ReviewPolicy = Config['review'];

/**
 * Membership of `policy.approverGroup` for the acting user: a yes/no already resolved,
 * the set of members, or undefined when nobody could find out.
 */
export type GroupMembership = boolean | ReadonlySet<string> | undefined;

/** Resolves membership asynchronously (e.g. via Slack) into something `assertApprover` accepts. */
export type IsInGroup = (userId: string) => Promise<boolean>;

export function isListedApprover(policy: ReviewPolicy, userId: string): boolean {
  return policy.approvers.includes(userId);
}

/**
 * Asks `isInGroup` only when it can matter: the user is not listed by id and a group is
 * configured. Returns undefined when membership is unknown.
 */
export async function resolveMembership(
  policy: ReviewPolicy,
  userId: string,
  source: { isInGroup?: IsInGroup | undefined; groupMembers?: ReadonlySet<string> | undefined },
): Promise<GroupMembership> {
  if (isListedApprover(policy, userId) || policy.approverGroup === undefined) return undefined;
  if (source.groupMembers) return source.groupMembers;
  if (source.isInGroup) return source.isInGroup(userId);
  return undefined;
}

function inGroup(membership: GroupMembership, userId: string): boolean | undefined {
  if (membership === undefined) return undefined;
  if (typeof membership === 'boolean') return membership;
  return membership.has(userId);
}

/** Throws KotaeError('forbidden') unless `userId` is a configured approver (by id or group). */
export function assertApprover(policy: ReviewPolicy, userId: string, membership?: GroupMembership): void {
  if (isListedApprover(policy, userId)) return;
  const group = policy.approverGroup;
  if (policy.approvers.length === 0 && group === undefined) {
    throw new KotaeError('forbidden', 'no approvers are configured (set KOTAE_APPROVERS or KOTAE_APPROVER_GROUP)');
  }
  if (group !== undefined) {
    const member = inGroup(membership, userId);
    if (member === true) return;
    if (member === undefined) {
      throw new KotaeError('forbidden', `${userId} is not in KOTAE_APPROVERS and membership of group ${group} could not be checked`);
    }
    throw new KotaeError('forbidden', `${userId} is not an approver (not in KOTAE_APPROVERS nor group ${group})`);
  }
  throw new KotaeError('forbidden', `${userId} is not an approver (not in KOTAE_APPROVERS)`);
}

/**
 * Four-eyes: whoever asked cannot approve (or edit-and-approve) the answer to their own
 * question. Rejecting stays allowed: it publishes nothing. Drafts with no known asker
 * (CLI and bulk runs without an identity) cannot be checked and pass.
 */
export function assertFourEyes(policy: ReviewPolicy, action: DecisionAction, actor: string, askedBy: string | null): void {
  if (!policy.fourEyes || action === 'reject' || askedBy === null) return;
  if (actor === askedBy) {
    throw new KotaeError('forbidden', `four-eyes: ${actor} asked this question and cannot approve their own draft`);
  }
}
