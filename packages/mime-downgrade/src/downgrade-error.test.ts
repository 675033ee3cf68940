import { describe, expect, it } from 'vitest';
import { DowngradeError, isDowngradeError } from './downgrade-error.js';

describe('DowngradeError', () => {
  it('carries the bounce reply of a refusal, none for misuse', () => {
    const signed = new DowngradeError('ERR_MIME_DOWNGRADE_SIGNED', 'signed');
    expect([signed.misuse, signed.reply?.code, signed.enhancedStatus]).toEqual([
      false,
      554,
      '5.6.3',
    ]);
    const address = new DowngradeError('ERR_MIME_DOWNGRADE_UTF8_ADDRESS', 'utf8');
    expect([address.reply?.code, address.enhancedStatus]).toEqual([550, '5.6.7']);
    const header = new DowngradeError('ERR_MIME_DOWNGRADE_UTF8_HEADER', 'utf8');
    expect(header.enhancedStatus).toBe('5.6.9');
    const misuse = new DowngradeError('ERR_MIME_DOWNGRADE_MISUSE_OPTION', 'bad');
    expect([misuse.misuse, misuse.reply, misuse.enhancedStatus]).toEqual([
      true,
      undefined,
      undefined,
    ]);
  });

  it('is recognised by its brand, and keeps its cause', () => {
    const cause = new Error('inner');
    const error = new DowngradeError('ERR_MIME_DOWNGRADE_UNCONVERTIBLE', 'x', { cause });
    expect(isDowngradeError(error)).toBe(true);
    expect(error.cause).toBe(cause);
    expect(isDowngradeError(new Error('x'))).toBe(false);
    expect(isDowngradeError(Object.create(DowngradeError.prototype))).toBe(true);
    expect(isDowngradeError(null)).toBe(false);
  });
});
