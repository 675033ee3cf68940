import { isReply, type Reply, replies } from '@smtpkit/reply';
import type { SaslStep, ScramStoredSecrets } from '@smtpkit/sasl';
import { saslStep } from './auth-exchange.js';
import { finalReplies } from './body.js';
import { acceptRecipient, greet } from './commands.js';
import type { Pending, SessionCore } from './session-core.js';
import type { Decision } from './session-events.js';

// What the session does with a hook's answer.
export function decided(core: SessionCore, p: Pending, decision: Decision): void {
  switch (p.kind) {
    case 'connect': {
      const reply = outcome(core, 'connect', decision, core.config.banner);
      if (reply.code >= 400) {
        core.write(reply);
        core.close('refused');
      } else {
        core.banner(reply);
      }
      return;
    }
    case 'helo': {
      const reply = outcome(core, 'helo', decision, undefined);
      if (reply !== undefined && reply.code >= 400) core.write(reply);
      // EHLO/LHLO always answer with the capability list (RFC 5321 §4.1.1.1); a positive reply
      // from the hook only replaces the HELO reply.
      else greet(core, p.verb, p.name, p.verb === 'helo' && isReply(reply) ? reply : undefined);
      return;
    }
    case 'mail': {
      const reply = outcome(core, 'mail', decision, replies.R250_2_1_0_SenderOk);
      if (reply.code < 400) core.setState({ phase: 'mail', tx: p.tx });
      core.write(reply);
      return;
    }
    case 'rcpt': {
      const reply = outcome(core, 'rcpt', decision, replies.R250_2_1_5_RecipientOk);
      if (reply.code < 400) acceptRecipient(core, p.tx, p.recipient, reply);
      else core.write(reply);
      return;
    }
    case 'reply':
      core.write(outcome(core, 'hook', decision, p.fallback));
      return;
    case 'auth-verify': {
      let step: SaslStep;
      if (decision.kind === 'resolved') {
        const v = decision.value as boolean | { user?: string } | undefined;
        let ok = v === true || (typeof v === 'object' && v !== null);
        const named = ok && typeof v === 'object' && typeof v.user === 'string';
        // RFC 4616 §2: "the server will verify the presented (in the message) authentication
        // identity (authcid) and password (passwd) with the system authentication database, and
        // it will verify that the authentication credentials permit the client to act as the
        // (presented or derived) authorization identity (authzid)." A bare `true` vouches for
        // the password only; acting as someone else needs the verifier's `{ user }`.
        if (ok && p.delegated && !named) {
          core.log('warn', 'AUTH refused: authorization identity not approved by the verifier', {
            mechanism: p.mechanism.name,
          });
          ok = false;
        }
        if (named) core.authUser = (v as { user: string }).user;
        step = p.mechanism.verified(ok ? { kind: 'accept' } : { kind: 'reject' });
      } else if (decision.kind === 'reply') {
        step = p.mechanism.verified(
          decision.reply.code < 500
            ? { kind: 'temporary', reply: decision.reply }
            : { kind: 'reject', reply: decision.reply },
        );
      } else {
        core.log('error', 'auth verifier failed', { error: decision.error });
        step = p.mechanism.verified({ kind: 'temporary' });
      }
      saslStep(core, p.mechanism, step);
      return;
    }
    case 'auth-lookup': {
      const stored =
        decision.kind === 'resolved'
          ? (decision.value as ScramStoredSecrets | undefined)
          : undefined;
      if (decision.kind === 'error') {
        core.log('error', 'auth lookup failed', { error: decision.error });
      }
      saslStep(core, p.mechanism, p.mechanism.secrets(stored ?? undefined));
      return;
    }
    case 'data-final':
      finalReplies(core, p.tx, decision);
      return;
  }
}

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

// ---- helpers ----
