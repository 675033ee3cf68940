import { replies } from '@smtpkit/reply';
import {
  type SaslCredentials,
  type SaslServerMechanism,
  type SaslStep,
  saslChallengeReply,
  saslReplies,
} from '@smtpkit/sasl';
import type { LineEvent } from '@smtpkit/wire';
import type { SessionCore } from './session-core.js';
import { TRIGGERS } from './transitions.js';

// STARTTLS (RFC 3207) and the AUTH exchange (RFC 4954) of the session.

/**
 * RFC 3207 §4.2: "the server MUST discard any knowledge obtained from the client … [and] the
 * SMTP client … MUST discard" — and bytes pipelined after STARTTLS are thrown away unread.
 */
export function startTls(core: SessionCore): void {
  const dropped = core.lines.discardRest();
  if (dropped > 0) {
    core.log('warn', 'plaintext after STARTTLS discarded', { bytes: dropped });
  }
  core.fire(TRIGGERS.starttls);
  core.emit({ type: 'starttls' });
}

/** RFC 4954 §4: AUTH mechanism [initial-response], then 334 challenges until 235 or an error. */
export function auth(core: SessionCore, name: string, initialResponse: string | undefined): void {
  if (core.tlsInfo === undefined && core.config.policy.authWithoutTls === false) {
    core.error(replies.R538_5_7_11_EncryptionRequiredForAuthMechanism);
    return;
  }
  const mechanism = core.config.sasl?.(name);
  if (mechanism === undefined) {
    core.error(replies.R504_5_5_4_UnrecognizedAuthType);
    return;
  }
  core.fire({ type: 'auth', mechanism });
  saslStep(core, mechanism, mechanism.start(initialResponse));
}

/** A line of the client during the exchange: a response to the last challenge. */
export function authLine(
  core: SessionCore,
  mechanism: SaslServerMechanism,
  e: Exclude<LineEvent, { type: 'need-data' }>,
): void {
  if (e.type === 'invalid') {
    saslStep(core, mechanism, {
      kind: 'failed',
      reply:
        e.fault === 'too-long'
          ? saslReplies.R500_5_5_6_AuthLineTooLong
          : saslReplies.R501_5_5_2_CannotDecodeResponse,
    });
    return;
  }
  saslStep(core, mechanism, mechanism.next(latin1.decode(e.bytes)));
}

/** What the session does with the mechanism's next step. */
export function saslStep(core: SessionCore, mechanism: SaslServerMechanism, step: SaslStep): void {
  switch (step.kind) {
    case 'challenge':
      core.write(saslChallengeReply(step.data));
      return;
    case 'verify':
      if (core.config.hooks.has('auth')) {
        const { username, authorizationIdentity } = step.credentials;
        const authzid =
          authorizationIdentity !== undefined &&
          authorizationIdentity.length > 0 &&
          authorizationIdentity !== username
            ? authorizationIdentity
            : undefined;
        core.ask({ kind: 'auth-verify', id: 0, mechanism, authzid }, 'auth', {
          credentials: step.credentials,
        });
      } else {
        saslStep(core, mechanism, mechanism.verified({ kind: 'reject' }));
      }
      return;
    case 'lookup':
      if (core.config.hooks.has('auth-lookup')) {
        core.ask({ kind: 'auth-lookup', id: 0, mechanism }, 'auth-lookup', {
          username: step.username,
          authorizationIdentity: step.authorizationIdentity,
        });
      } else {
        saslStep(core, mechanism, mechanism.secrets(undefined));
      }
      return;
    case 'success':
      core.fire({ type: 'auth-end', user: core.granted ?? ownIdentity(step.credentials) });
      core.write(step.reply);
      return;
    case 'failed':
    case 'cancelled':
      core.fire({ type: 'auth-end', user: undefined });
      core.error(step.reply);
      return;
  }
}

const latin1 = new TextDecoder('latin1');

/** The identity of credentials no verifier renamed: the authzid when given, else the authcid. */
function ownIdentity(credentials: SaslCredentials): string {
  const authz = credentials.authorizationIdentity;
  return authz !== undefined && authz.length > 0 ? authz : credentials.username;
}
