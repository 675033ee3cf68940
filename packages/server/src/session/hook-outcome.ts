import { isReply, type Reply, replies } from '@smtpkit/reply';
import type { Decision } from './decision.js';
import type { SessionCore } from './session-core.js';

// What a hook's answer means as a reply: shared by the decisions on commands and on messages.

/**
 * A hook's reply: the Reply it resolved with, the one it threw (ReplyException), or 451 4.3.0
 * with a log event for any other throw; `fallback` when it resolved without a reply.
 */
export function outcome<F extends Reply | undefined>(
  core: SessionCore,
  hook: string,
  decision: Decision,
  fallback: F,
): Reply | F {
  switch (decision.kind) {
    case 'resolved':
      return resolvedReply(core, hook, decision.value, fallback);
    case 'reply':
      return decision.reply;
    case 'error':
      core.log('error', `${hook} hook failed`, { hook, error: decision.error });
      return replies.R451_4_3_0_LocalError;
  }
}

/**
 * What a hook resolved with: a valid Reply is sent; nothing (or a value that is not meant as a
 * reply) gives `fallback`. Something shaped like a reply that fails the checks of
 * `@smtpkit/reply` (CR, LF or NUL in its text, a class mismatch) is a misbehaving hook: it is
 * never written, and never turned into the positive fallback either, which would make a refusal
 * an acceptance. It gives 451 4.3.0 and a log event, like a throw.
 */
export function resolvedReply<F extends Reply | undefined>(
  core: SessionCore,
  hook: string,
  value: unknown,
  fallback: F,
): Reply | F {
  if (isReply(value)) return value;
  if (typeof value === 'object' && value !== null && ('code' in value || 'lines' in value)) {
    core.log('error', `${hook} hook resolved with an invalid reply`, { hook });
    return replies.R451_4_3_0_LocalError;
  }
  return fallback;
}
