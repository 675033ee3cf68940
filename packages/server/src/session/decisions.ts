import { isReply, replies } from '@smtpkit/reply';
import type { SaslStep, ScramStoredSecrets } from '@smtpkit/sasl';
import { saslStep } from './auth-exchange.js';
import { finalReplies } from './body.js';
import { acceptRecipient, greet } from './commands.js';
import type { Decision } from './decision.js';
import { outcome } from './hook-outcome.js';
import type { Pending, SessionCore } from './session-core.js';
import { TRIGGERS } from './transitions.js';

/** What the session does with a hook's answer to the ask it waited for. */
export function decided(core: SessionCore, p: Pending, decision: Decision): void {
  switch (p.kind) {
    case 'connect': {
      const reply = outcome(core, 'connect', decision, core.config.banner);
      if (reply.code >= 400) {
        core.write(reply);
        core.close('refused');
      } else {
        core.fire(TRIGGERS.banner);
        core.write(reply);
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
      if (reply.code < 400) core.fire({ type: 'mail', tx: p.tx });
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
    case 'auth-verify':
      saslStep(core, p.mechanism, verdict(core, p, decision));
      return;
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
 * The `auth` verifier's answer as the mechanism's verdict. `true`: the credentials are right and
 * the client acts as itself. `{ authorize: name }`: the credentials are right and the client may
 * act as `name`. Anything else refuses.
 *
 * RFC 4616 §2: "the server will verify the presented (in the message) authentication identity
 * (authcid) and password (passwd) with the system authentication database, and it will verify
 * that the authentication credentials permit the client to act as the (presented or derived)
 * authorization identity (authzid)." A client that asks to act as another identity is refused
 * unless the verifier granted that very identity by name.
 */
function verdict(
  core: SessionCore,
  p: Extract<Pending, { kind: 'auth-verify' }>,
  decision: Decision,
): SaslStep {
  const m = p.mechanism;
  if (decision.kind === 'reply') {
    return m.verified(
      decision.reply.code < 500
        ? { kind: 'temporary', reply: decision.reply }
        : { kind: 'reject', reply: decision.reply },
    );
  }
  if (decision.kind === 'error') {
    core.log('error', 'auth verifier failed', { error: decision.error });
    return m.verified({ kind: 'temporary' });
  }
  const v = decision.value;
  const granted =
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { authorize?: unknown }).authorize === 'string'
      ? (v as { authorize: string }).authorize
      : undefined;
  if (v !== true && granted === undefined) return m.verified({ kind: 'reject' });
  if (p.authzid !== undefined && granted !== p.authzid) {
    core.log('warn', 'AUTH refused: authorization identity not granted by the verifier', {
      mechanism: m.name,
    });
    return m.verified({ kind: 'reject' });
  }
  core.granted = granted;
  return m.verified({ kind: 'accept' });
}
