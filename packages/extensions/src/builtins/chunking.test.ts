import { describe, expect, it } from 'vitest';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { sessionContext } from '../test-context.js';
import { binaryMime } from './binary-mime.js';
import { bdatArguments, chunking } from './chunking.js';
import { eightBitMime } from './eight-bit-mime.js';

const registry = createRegistry([eightBitMime(), chunking(), binaryMime()]);

describe('bdatArguments (RFC 3030 §2 bdat-cmd)', () => {
  it('reads chunk-size and the LAST end-marker', () => {
    expect(bdatArguments('86 LAST')).toEqual({ size: 86, last: true });
    expect(bdatArguments('100000')).toEqual({ size: 100000, last: false });
    expect(bdatArguments('0 LAST')).toEqual({ size: 0, last: true });
    expect(bdatArguments('0 last')).toEqual({ size: 0, last: true });
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined,
      '',
      ' 1',
      '1 ',
      '1  LAST',
      '-1',
      '1 LASTX',
      'x',
      '1 LAST x',
      '1234567890123456',
    ]) {
      expect(bdatArguments(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('CHUNKING (RFC 3030)', () => {
  const rcpt = sessionContext({ phase: 'rcpt', mailParams: {} });

  it('switches framing to counted bytes after a recipient and between chunks', () => {
    expect(registry.dispatch('BDAT', '324', rcpt)).toEqual({
      kind: 'bdat',
      size: 324,
      last: false,
      reply: extensionReplies.R250_2_0_0_ChunkAccepted,
    });
    expect(registry.dispatch('bdat', '0 LAST', { ...rcpt, phase: 'bdat' })).toEqual({
      kind: 'bdat',
      size: 0,
      last: true,
      reply: extensionReplies.R250_2_0_0_ChunkAccepted,
    });
  });

  it('refuses BDAT before a recipient with 503 5.5.1 and still consumes the chunk', () => {
    // Before MAIL the client is missing MAIL; after MAIL, a recipient.
    for (const [phase, reply] of [
      ['greeted', extensionReplies.R503_5_5_1_NeedMailCommand],
      ['mail', extensionReplies.R503_5_5_1_NeedRcptCommand],
    ] as const) {
      expect(registry.dispatch('BDAT', '1000', sessionContext({ phase }))).toEqual({
        kind: 'reply',
        reply,
        discard: 1000,
      });
    }
  });

  it('closes the session when the chunk size cannot be read (the chunk cannot be skipped)', () => {
    expect(registry.dispatch('BDAT', 'ten', rcpt)).toEqual({
      kind: 'reply',
      reply: extensionReplies.R501_5_5_4_InvalidChunkSize,
      close: true,
    });
    expect(registry.dispatch('BDAT', undefined, rcpt)).toMatchObject({ close: true });
  });

  it('does not mix DATA with BDAT in one transaction', () => {
    expect(registry.guard('DATA', { ...rcpt, phase: 'bdat' })).toBe(
      extensionReplies.R503_5_5_1_DataAfterBdat,
    );
    expect(registry.guard('DATA', rcpt)).toBeUndefined();
  });

  it('refuses DATA after BODY=BINARYMIME (RFC 3030 §3)', () => {
    expect(registry.guard('DATA', { ...rcpt, mailParams: { BODY: 'BINARYMIME' } })).toBe(
      extensionReplies.R503_5_5_1_BinaryMimeRequiresBdat,
    );
  });

  it('accepts BODY=BINARYMIME only while BINARYMIME is in effect', () => {
    const ok = registry.parseMailParams(
      [{ keyword: 'BODY', value: 'binarymime' }],
      sessionContext(),
    );
    expect(ok).toEqual({ ok: true, value: { BODY: 'BINARYMIME' } });
    const without = createRegistry([eightBitMime()]).parseMailParams(
      [{ keyword: 'BODY', value: 'BINARYMIME' }],
      sessionContext(),
    );
    expect(without).toEqual({ ok: false, reply: extensionReplies.R501_5_5_4_InvalidBodyType });
  });
});
