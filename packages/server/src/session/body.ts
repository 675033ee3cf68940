import { type Reply, replies } from '@smtpkit/reply';
import { BdatReader, DataDecoder } from '@smtpkit/wire';
import type { Decision } from './decision.js';
import { outcome, resolvedReply } from './hook-outcome.js';
import type { BodyProgress, Envelope, ServerState } from './server-state.js';
import type { SessionCore } from './session-core.js';
import { TRIGGERS } from './transitions.js';

// Message bodies: DATA through the DataDecoder, BDAT chunks through BdatReader, SIZE enforced as
// octets arrive, and the final reply(ies) once the data hook decided.

/** RFC 5321 §4.1.1.4: 354, then the mail data up to CRLF.CRLF. */
export function data(core: SessionCore): void {
  const decoder = new DataDecoder({
    bareLineEndings: core.config.policy.bareLineEndings,
    longLines: core.config.policy.longLines,
  });
  core.write(replies.R354_StartMailInput);
  const tx = (core.state as Extract<ServerState, { phase: 'rcpt' }>).tx;
  core.fire({ type: 'data', decoder, body: openBody(core, tx, 'DATA') });
}

/**
 * RFC 3030 §2: a BDAT chunk of `size` octets follows the command; `accepted` is the extension's
 * reply to a chunk that is not the last.
 */
export function bdat(core: SessionCore, size: number, last: boolean, accepted: Reply): void {
  const s = core.state as Extract<ServerState, { phase: 'rcpt' | 'bdat' }>;
  const reader = new BdatReader(size);
  if (s.phase === 'rcpt') {
    core.fire({ type: 'chunk', reader, last, accepted, body: openBody(core, s.tx, 'BDAT') });
  } else {
    core.fire({ type: 'chunk', reader, last, accepted });
  }
}

function openBody(core: SessionCore, tx: Envelope, via: 'DATA' | 'BDAT'): BodyProgress {
  return {
    askId: core.config.asks.data ? core.askAlongside('data', { envelope: tx, via }) : undefined,
    size: 0,
    failure: undefined,
    aborted: false,
    decision: undefined,
  };
}

/** Feeds DATA bytes; true when the message ended (the state moved on). */
export function feedData(
  core: SessionCore,
  s: Extract<ServerState, { phase: 'data' }>,
  bytes: Uint8Array,
): boolean {
  const { decoder, body } = s;
  const r = decoder.push(bytes);
  if (body.failure === undefined) {
    const max = core.config.maxMessageSize;
    // RFC 1870 §6.3: a message over the limit is refused with 552 (enforced while receiving).
    if (max !== undefined && decoder.bodyLength > max) {
      fail(core, body, replies.R552_5_3_4_MessageTooBig);
    } else if (decoder.error !== undefined) {
      // Bare LF / bare CR (SMTP smuggling) or over-long lines: the message is refused and the
      // application never sees the rest of it.
      fail(core, body, decoder.error.reply ?? replies.R554_5_6_0_BareLineFeed);
    } else if (body.askId !== undefined) {
      for (const chunk of r.chunks) {
        core.emit({ type: 'body', id: body.askId, chunk });
      }
    }
  }
  if (!r.done) return false;
  body.size = decoder.bodyLength;
  endMessage(core, s.tx, body);
  if (r.rest !== undefined && r.rest.length > 0) core.lines.push(r.rest);
  return true;
}

/** Feeds BDAT chunk octets; true when the chunk is complete (the state moved on). */
export function feedChunk(
  core: SessionCore,
  s: Extract<ServerState, { phase: 'bdat' }>,
  bytes: Uint8Array,
): boolean {
  const reader = s.reader as BdatReader;
  const r = reader.push(bytes);
  const { body } = s;
  body.size += r.chunk.length;
  if (body.failure === undefined) {
    const max = core.config.maxMessageSize;
    if (max !== undefined && body.size > max) {
      fail(core, body, replies.R552_5_3_4_MessageTooBig);
    } else if (body.askId !== undefined && r.chunk.length > 0) {
      core.emit({ type: 'body', id: body.askId, chunk: r.chunk });
    }
  }
  if (!r.done) return false;
  if (body.failure !== undefined && !s.last) {
    // RFC 3030 §2: after a failed chunk the transaction is over; later BDATs get 503. A chunk
    // that is not the last is one command with one reply, in LMTP too: only the end of the
    // message gets a reply per recipient (RFC 2033 §4.2), or pipelined replies desynchronise.
    core.fire(TRIGGERS.messageEnd);
    core.write(body.failure);
  } else if (body.failure === undefined && !s.last) {
    core.fire(TRIGGERS.chunkEnd);
    core.write(s.accepted);
  } else {
    endMessage(core, s.tx, body);
  }
  if (r.rest !== undefined && r.rest.length > 0) core.lines.push(r.rest);
  return true;
}

function fail(core: SessionCore, body: BodyProgress, reply: Reply): void {
  body.failure = reply;
  if (body.askId !== undefined && !body.aborted) {
    body.aborted = true;
    core.emit({ type: 'body-abort', id: body.askId, reply });
  }
}

/** The end of a message: its final reply now, or once the data hook decides. */
function endMessage(core: SessionCore, tx: Envelope, body: BodyProgress): void {
  core.fire(TRIGGERS.messageEnd);
  if (body.failure !== undefined) {
    finalReplies(core, tx, { kind: 'reply', reply: body.failure });
    return;
  }
  if (body.askId === undefined) {
    finalReplies(core, tx, { kind: 'resolved' });
    return;
  }
  core.emit({ type: 'body-end', id: body.askId, size: body.size });
  if (body.decision !== undefined) {
    finalReplies(core, tx, body.decision);
  } else {
    core.await({ kind: 'data-final', id: body.askId, tx });
  }
}

/**
 * RFC 5321 §4.1.1.4: the final reply comes after the data hook resolved. RFC 2033 §4.2: in
 * LMTP, one reply per accepted recipient, in RCPT order.
 */
export function finalReplies(core: SessionCore, tx: Envelope, decision: Decision): void {
  const n = core.config.lmtp ? tx.recipients.length : 1;
  if (decision.kind === 'resolved' && Array.isArray(decision.value)) {
    const list = decision.value as readonly unknown[];
    for (let i = 0; i < n; i++) {
      const r = list[i] ?? list[list.length - 1];
      core.write(resolvedReply(core, 'data', r, replies.R250_2_0_0_MessageAccepted));
    }
  } else {
    const reply = outcome(core, 'data', decision, replies.R250_2_0_0_MessageAccepted);
    for (let i = 0; i < n; i++) core.write(reply);
  }
}
