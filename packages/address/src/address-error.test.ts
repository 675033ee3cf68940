import { describe, expect, it } from 'vitest';
import { AddressError, type AddressErrorCode } from './address-error.js';
import { formatLocalPart } from './local-part.js';
import { parseMailbox } from './mailbox.js';

/** Every code and whether it means misuse: renaming or adding a code must change this table. */
const misuseByCode = {
  ERR_ADDRESS_SYNTAX: false,
  ERR_ADDRESS_LOCAL_PART_TOO_LONG: false,
  ERR_ADDRESS_DOMAIN_TOO_LONG: false,
  ERR_ADDRESS_LABEL_TOO_LONG: false,
  ERR_ADDRESS_PATH_TOO_LONG: false,
  ERR_ADDRESS_UTF8_NOT_PERMITTED: false,
  ERR_ADDRESS_IDNA: false,
  ERR_ADDRESS_MISUSE_INJECTION: true,
  ERR_ADDRESS_MISUSE_INVALID_ARGUMENT: true,
} as const satisfies Record<AddressErrorCode, boolean>;

function thrown(f: () => unknown): AddressError {
  try {
    f();
  } catch (e) {
    if (e instanceof AddressError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('AddressError', () => {
  it('is misuse, with no reply and no role, for a value no SMTP text can carry', () => {
    const e = thrown(() => formatLocalPart('a\r\nRCPT TO:<x@y>'));
    expect(e).toMatchObject({ code: 'ERR_ADDRESS_MISUSE_INJECTION', misuse: true });
    expect(e.reply).toBeUndefined();
    expect(e.role).toBeUndefined();
  });

  it('is a peer fault, with the reply to send, for bad text', () => {
    const e = thrown(() => parseMailbox('a b@example.com', { role: 'sender' }));
    expect(e).toMatchObject({ code: 'ERR_ADDRESS_SYNTAX', misuse: false, role: 'sender' });
    expect(e.reply).toMatchObject({ code: 501, enhanced: { class: 5, subject: 1, detail: 7 } });
  });

  it.each(Object.entries(misuseByCode))('%s is a stable string, misuse %s', (code, misuse) => {
    expect(code).toMatch(/^ERR_ADDRESS_[A-Z0-9_]+$/);
    const e = misuse
      ? new AddressError(code as 'ERR_ADDRESS_MISUSE_INJECTION', 'm')
      : new AddressError(code as 'ERR_ADDRESS_SYNTAX', 'm', { role: 'recipient' });
    expect(e.code).toBe(code);
    expect(e.misuse).toBe(misuse);
    expect(e.reply === undefined).toBe(misuse);
  });

  it('keeps a cause given as an ES2022 error option', () => {
    const cause = new Error('inner');
    const e = new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'm', { cause });
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('AddressError');
  });
});
