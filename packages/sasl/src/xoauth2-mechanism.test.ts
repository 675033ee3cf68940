import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import { createXoauth2Client } from './client/xoauth2-client.js';
import { runPair } from './pair-driver.test-support.js';
import { saslReplies } from './sasl-replies.js';
import {
  createXoauth2Mechanism,
  DEFAULT_XOAUTH2_ERROR,
  parseXoauth2Message,
} from './xoauth2-mechanism.js';

// Google's documented example: user=someuser@example.com^Aauth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg^A^A
const GOOGLE_EXAMPLE =
  'user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01';
const GOOGLE_EXAMPLE_B64 =
  'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==';

describe('XOAUTH2', () => {
  it('parses the documented example', () => {
    expect(encodeBase64(GOOGLE_EXAMPLE)).toBe(GOOGLE_EXAMPLE_B64);
    expect(parseXoauth2Message(GOOGLE_EXAMPLE)).toEqual({
      username: 'someuser@example.com',
      token: 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg',
    });
  });
  it.each([
    ['missing terminator', 'user=a\x01auth=Bearer t\x01'],
    ['no user', 'auth=Bearer t\x01\x01'],
    ['no auth', 'user=a\x01\x01'],
    ['not bearer', 'user=a\x01auth=Basic dA==\x01\x01'],
    ['duplicate user', 'user=a\x01user=b\x01auth=Bearer t\x01\x01'],
    ['space in token', 'user=a\x01auth=Bearer t t\x01\x01'],
  ])('refuses %s', (_n, text) => {
    expect(parseXoauth2Message(text)).toBeUndefined();
  });
  it('sends the JSON error in a 334, then fails 535 5.7.8 after the empty line', () => {
    const m = createXoauth2Mechanism();
    const step = m.start(GOOGLE_EXAMPLE_B64);
    expect(step.kind === 'verify' && step.credentials.token).toBe(
      'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg',
    );
    const json = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';
    const challenge = m.verified({ kind: 'reject', errorJson: json });
    expect(challenge).toEqual({ kind: 'challenge', data: encodeBase64(json) });
    expect(m.next('')).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
  it('uses a default JSON error, and the client records it', () => {
    const r = runPair(
      createXoauth2Mechanism(),
      createXoauth2Client({ username: 'a@b.c', token: 'bad' }),
      () => ({ kind: 'reject' }),
    );
    expect(r.transcript[1]).toBe(`S: 334 ${encodeBase64(DEFAULT_XOAUTH2_ERROR)}`);
    expect(r.transcript[2]).toBe('C: ');
    expect(r.final.kind).toBe('failed');
    expect(
      new TextDecoder().decode(decodeBase64Strict(encodeBase64(DEFAULT_XOAUTH2_ERROR))),
    ).toContain('401');
  });
  it('pairs with the client without an initial response too', () => {
    const m = createXoauth2Mechanism();
    expect(m.start(undefined)).toEqual({ kind: 'challenge', data: '' });
    const client = createXoauth2Client({ username: 'a@b.c', token: 'ya29.ok' });
    const step = m.next(client.respond(''));
    expect(step.kind).toBe('verify');
    expect(m.verified({ kind: 'accept' }).kind).toBe('success');
  });
  it('temporary verdicts fail with 454 4.7.0 without a JSON round', () => {
    const m = createXoauth2Mechanism();
    m.start(GOOGLE_EXAMPLE_B64);
    expect(m.verified({ kind: 'temporary' })).toEqual({
      kind: 'failed',
      reply: saslReplies.R454_4_7_0_TemporaryAuthFailure,
    });
  });
});
