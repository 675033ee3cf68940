import { requiresSmtpUtf8 } from '@smtpkit/address';
import type { Greeting } from '@smtpkit/extensions';
import { type Reply, replies } from '@smtpkit/reply';
import {
  type Command,
  isWireError,
  type LineEvent,
  lineFaultReply,
  parseCommand,
  wireReplies,
} from '@smtpkit/wire';
import { data } from './body.js';
import { extensionVerb } from './extension-verbs.js';
import type { CommandState, Envelope, EnvelopeRecipient } from './server-state.js';
import { ehloReply } from './session-config.js';
import type { SessionCore } from './session-core.js';
import { MESSAGE_ABANDONED } from './session-replies.js';
import { admission, type CoreVerb, TRIGGERS } from './transitions.js';

// Command lines: each parsed once (by @smtpkit/wire, extension verbs left to the registry),
// core RFC 5321 commands admitted by the command table, extension verbs dispatched by the
// registry.

// RFC 7230 §3.1.1 request methods: an HTTP client talking to the SMTP port (cross-protocol
// attacks, probes). nodemailer's smtp-server closes on these; so do we, without a reply.
const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'PATCH',
  'TRACE',
]);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What the registry makes of a MAIL or RCPT without parameters: none, accepted (shared, frozen). */
const NO_PARAMETERS = Object.freeze({ ok: true, value: Object.freeze({}) }) as {
  readonly ok: true;
  readonly value: Readonly<Record<string, unknown>>;
};

/** One command line, or the line reader's refusal of one. */
export function commandLine(core: SessionCore, e: Exclude<LineEvent, { type: 'need-data' }>): void {
  if (e.type === 'invalid') {
    core.error(lineFaultReply(e.fault));
    return;
  }
  let line: string;
  try {
    line = utf8.decode(e.bytes);
  } catch {
    core.error(wireReplies.R500_5_5_2_InvalidUtf8);
    return;
  }
  core.commands++;
  let command: Command;
  try {
    command = parseCommand(line, core.config.parseOptions);
  } catch (error) {
    if (!isWireError(error)) throw error;
    core.error(error.reply ?? replies.R500_5_5_2_SyntaxError);
    return;
  }
  const verb = command.verb === 'UNKNOWN' ? command.name : command.verb;
  if (core.observe) core.emit({ type: 'command', verb, phase: core.state.phase });
  if (command.verb === 'UNKNOWN') {
    if (core.config.registry.hasVerb(verb)) {
      extensionVerb(core, verb, command.argument);
    } else if (core.commands === 1 && HTTP_METHODS.has(verb)) {
      core.log('warn', 'HTTP request on the SMTP port', { verb });
      core.close('http-probe');
    } else {
      // RFC 3463 X.5.2 "Syntax error": "A mail transaction protocol command was issued which
      // could not be interpreted, either because the syntax was wrong or the command is
      // unrecognized."
      core.error(replies.R500_5_5_2_SyntaxError, 'unknown');
    }
    return;
  }
  // RFC 5321 §4.5.3.1.4: 512 octets per command line; MAIL and RCPT get what the parameters
  // in effect add (RFC 1869 §4.1.2).
  if (e.bytes.length + 2 > core.lineLimit(verb)) {
    core.error(replies.R500_5_5_2_LineTooLong);
    return;
  }
  coreCommand(core, command as Exclude<Command, { verb: 'UNKNOWN' }>);
}

function coreCommand(core: SessionCore, command: Exclude<Command, { verb: 'UNKNOWN' }>): void {
  const s = core.state as CommandState;
  const a = admission(command.verb as CoreVerb, s.phase, core.config.lmtp);
  if (a.kind === 'refuse') {
    core.error(a.reply);
    return;
  }
  if (command.verb !== 'QUIT' && command.verb !== 'RSET') {
    const refused = core.config.registry.guard(command.verb, core.ctx);
    if (refused !== undefined) {
      core.error(refused);
      return;
    }
  }
  switch (command.verb) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO': {
      const d = command.domain;
      const name = d.kind === 'domain' ? d.ascii : d.text;
      const greeting = command.verb.toLowerCase() as Greeting;
      // The transaction is reset in greet(), once the greeting is accepted: a refused EHLO
      // leaves the state as it was (RFC 5321 §4.1.4).
      if (core.config.asks.helo) {
        core.ask({ kind: 'helo', id: 0, verb: greeting, name }, 'helo', {
          domain: name,
          verb: command.verb,
        });
      } else {
        greet(core, greeting, name, undefined);
      }
      return;
    }
    case 'MAIL':
      mail(core, command);
      return;
    case 'RCPT':
      rcpt(core, (s as Extract<CommandState, { tx: Envelope }>).tx, command);
      return;
    case 'DATA':
      data(core);
      return;
    case 'RSET':
      // RFC 5321 §4.1.1.5: "Any stored sender, recipients, and mail data MUST be discarded, and
      // all buffers and state tables cleared." A message between BDAT chunks included.
      core.abortBody(MESSAGE_ABANDONED);
      core.fire(TRIGGERS.reset);
      core.write(replies.R250_2_0_0_Ok);
      return;
    case 'QUIT':
      core.abortBody(MESSAGE_ABANDONED);
      core.write(replies.R221_2_0_0_ServiceClosing);
      core.close('quit');
      return;
    case 'NOOP':
      core.write(replies.R250_2_0_0_Ok);
      return;
    case 'HELP':
      core.write(replies.R214_2_0_0_Help);
      return;
    case 'VRFY': {
      const policy = core.config.policy.vrfy;
      // RFC 5321 §3.5.3: 252 when the server will not verify but will accept the message.
      if (policy === 'hook' && core.config.hooks.has('vrfy')) {
        core.ask({ kind: 'reply', id: 0, fallback: replies.R252_2_0_0_CannotVerify }, 'vrfy', {
          argument: command.argument,
        });
      } else if (policy === 'disabled') {
        core.write(replies.R502_5_5_1_CommandNotImplemented);
      } else {
        core.write(replies.R252_2_0_0_CannotVerify);
      }
      return;
    }
    case 'EXPN':
      if (core.config.policy.expn === 'hook' && core.config.hooks.has('expn')) {
        core.ask(
          { kind: 'reply', id: 0, fallback: replies.R502_5_5_1_CommandNotImplemented },
          'expn',
          { argument: command.argument },
        );
      } else {
        core.write(replies.R502_5_5_1_CommandNotImplemented);
      }
      return;
    default:
      // The command table admits only the core verbs above.
      core.error(replies.R500_5_5_2_SyntaxError, 'unknown');
  }
}

/**
 * A greeting accepted: RFC 5321 §4.1.4, an accepted EHLO later in the session resets it as RSET
 * would ("the SMTP server MUST clear all buffers and reset the state exactly as if a RSET command
 * had been issued"); a refused one changes nothing ("The SMTP server MUST stay in the same state
 * after transmitting these replies that it was in before the EHLO was received").
 */
export function greet(
  core: SessionCore,
  greeting: Greeting,
  name: string,
  reply: Reply | undefined,
): void {
  core.abortBody(MESSAGE_ABANDONED);
  core.fire({ type: 'greeting', greeting, name });
  if (reply !== undefined) {
    core.write(reply);
  } else if (greeting === 'helo') {
    core.write(core.config.heloReply);
  } else {
    core.write(ehloReply(core.config, core.config.registry.advertise(core.ctx)));
  }
}

// RFC 5321 §4.1.1.2: "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
function mail(core: SessionCore, command: Extract<Command, { verb: 'MAIL' }>): void {
  const { registry, maxMessageSize } = core.config;
  const { reversePath, params: raw } = command;
  // Most MAIL commands have no parameters: nothing to parse, and the effects of none are the
  // same for every transaction (computed once per server).
  const params = raw.length === 0 ? NO_PARAMETERS : registry.parseMailParams(raw, core.ctx);
  if (!params.ok) {
    core.error(params.reply);
    return;
  }
  const effects =
    raw.length === 0
      ? core.config.effectsWithoutParameters
      : registry.transactionEffects(params.value);
  // RFC 1870 §6.1: a declared size over the server's fixed maximum gets 552.
  if (
    maxMessageSize !== undefined &&
    effects.declaredSize !== undefined &&
    effects.declaredSize > maxMessageSize
  ) {
    core.write(replies.R552_5_3_4_MessageTooBig);
    return;
  }
  // RFC 6531 §3.5: a non-ASCII address without the SMTPUTF8 parameter is refused (553 5.6.7).
  if (
    reversePath.kind === 'mailbox' &&
    !effects.smtputf8 &&
    requiresSmtpUtf8(reversePath.mailbox)
  ) {
    core.write(replies.R553_5_6_7_Utf8AddressNotPermitted);
    return;
  }
  const tx: Envelope = {
    reversePath,
    mailParams: params.value,
    rawMailParams: raw,
    recipients: [],
    effects,
  };
  if (core.config.asks.mail) {
    core.ask({ kind: 'mail', id: 0, tx }, 'mail', { reversePath, params: params.value });
  } else {
    core.fire({ type: 'mail', tx });
    core.write(replies.R250_2_1_0_SenderOk);
  }
}

// RFC 5321 §4.1.1.3: "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
function rcpt(core: SessionCore, tx: Envelope, command: Extract<Command, { verb: 'RCPT' }>): void {
  // RFC 5321 §4.5.3.1.10: too many recipients → 452 (4.5.3).
  if (tx.recipients.length >= core.config.limits.recipients) {
    core.write(replies.R452_4_5_3_TooManyRecipients);
    return;
  }
  const params =
    command.params.length === 0
      ? NO_PARAMETERS
      : core.config.registry.parseRcptParams(command.params, core.ctx);
  if (!params.ok) {
    core.error(params.reply);
    return;
  }
  const path = command.forwardPath;
  if (path.kind === 'mailbox' && !tx.effects.smtputf8 && requiresSmtpUtf8(path.mailbox)) {
    core.write(replies.R553_5_6_7_Utf8AddressNotPermitted);
    return;
  }
  const recipient: EnvelopeRecipient = {
    forwardPath: path,
    params: params.value,
    rawParams: command.params,
  };
  if (core.config.asks.rcpt) {
    core.ask({ kind: 'rcpt', id: 0, tx, recipient }, 'rcpt', {
      forwardPath: path,
      params: params.value,
    });
  } else {
    acceptRecipient(core, tx, recipient, replies.R250_2_1_5_RecipientOk);
  }
}

/** A recipient accepted (by the hook, or at once without one). */
export function acceptRecipient(
  core: SessionCore,
  tx: Envelope,
  recipient: EnvelopeRecipient,
  reply: Reply,
): void {
  tx.recipients.push(recipient);
  core.fire(TRIGGERS.rcpt);
  core.write(reply);
}
