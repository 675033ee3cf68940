import { type Reply, replies } from '@smtpkit/reply';
import { BdatReader, DataDecoder } from '@smtpkit/wire';
import { outcome, resolvedReply } from './decisions.js';
import type { BodyProgress, Envelope, ServerState } from './server-state.js';
import type { SessionCore } from './session-core.js';
import type { Decision } from './session-events.js';

// Message bodies: DATA through the DataDecoder, BDAT chunks through BdatReader, SIZE enforced as
// octets arrive, and the final reply(ies) once the data hook decided.
// RFC 5321 §4.1.1.4: 354, then the mail data up to CRLF.CRLF.
export function data(core: SessionCore, tx: Envelope): void {
  const decoder = new DataDecoder({
    bareLineEndings: core.config.policy.bareLineEndings,
    longLines: core.config.policy.longLines,
  });
  core.write(replies.R354_StartMailInput);
  const body = openBody(core, tx, 'DATA');
  core.setState({ phase: 'data', tx, decoder, body });
}

export function openBody(core: SessionCore, tx: Envelope, via: 'DATA' | 'BDAT'): BodyProgress {
  const body: BodyProgress = {
    askId: undefined,
    size: 0,
    failure: undefined,
    aborted: false,
    decision: undefined,
  };
  if (core.config.hooks.has('data')) {
    body.askId = core.nextId++;
    core.out.push({ type: 'ask', id: body.askId, hook: 'data', payload: { envelope: tx, via } });
  }
  return body;
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
        core.out.push({ type: 'body', id: body.askId, chunk });
      }
    }
  }
  if (!r.done) return false;
  body.size = decoder.bodyLength;
  endBody(core, s.tx, body);
  if (r.rest !== undefined && r.rest.length > 0) core.lines.push(r.rest);
  return true;
}

export function bdat(core: SessionCore, size: number, last: boolean): void {
  const s = core.state;
  const reader = new BdatReader(size);
  if (s.phase === 'bdat') {
    s.reader = reader;
    s.last = last;
  } else if (s.phase === 'rcpt') {
    const body = openBody(core, s.tx, 'BDAT');
    core.setState({ phase: 'bdat', tx: s.tx, body, reader, last });
  }
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
      core.out.push({ type: 'body', id: body.askId, chunk: r.chunk });
    }
  }
  if (!r.done) return false;
  s.reader = undefined;
  if (body.failure !== undefined && !s.last) {
    // RFC 3030 §2: after a failed chunk the transaction is over; later BDATs get 503. A chunk
    // that is not the last is one command with one reply, in LMTP too: only the end of the
    // message gets a reply per recipient (RFC 2033 §4.2), or pipelined replies desynchronise.
    core.setState(core.idle());
    core.write(body.failure);
  } else if (body.failure !== undefined) {
    endBody(core, s.tx, body);
  } else if (!s.last) {
    core.write(replies.R250_2_0_0_ChunkAccepted);
  } else {
    endBody(core, s.tx, body);
  }
  if (r.rest !== undefined && r.rest.length > 0) core.lines.push(r.rest);
  return true;
}

export function fail(core: SessionCore, body: BodyProgress, reply: Reply): void {
  body.failure = reply;
  if (body.askId !== undefined && !body.aborted) {
    body.aborted = true;
    core.out.push({ type: 'body-abort', id: body.askId, reply });
  }
}

/** The end of a message: its final reply now, or once the data hook decides. */
export function endBody(core: SessionCore, tx: Envelope, body: BodyProgress): void {
  core.setState(core.idle());
  if (body.failure !== undefined) {
    finalReplies(core, tx, { kind: 'reply', reply: body.failure });
    return;
  }
  if (body.askId === undefined) {
    finalReplies(core, tx, { kind: 'resolved' });
    return;
  }
  core.out.push({ type: 'body-end', id: body.askId, size: body.size });
  if (body.decision !== undefined) {
    finalReplies(core, tx, body.decision);
  } else {
    core.pending = { kind: 'data-final', id: body.askId, tx };
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
