import { readVectorJson } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { describeReplyCode } from './describe-reply-code.js';
import { basicReplyCodes } from './basic-reply-codes.js';
import * as codes from './reply-codes.js';

interface Rfc5321Codes {
  reply_codes_numeric_order_4_2_3: { code: number; text: string }[];
  function_groups_4_2_2: number[][];
  command_reply_sequences_4_3_2: { commands: Record<string, Record<string, unknown>> };
}
const rfc = readVectorJson<Rfc5321Codes>('status', 'rfc5321-reply-codes.json');

const named: [string, number][] = [];
for (const [name, value] of Object.entries(codes)) {
  if (/^C\d{3}[A-Z]/.test(name) && typeof value === 'number') named.push([name, value]);
}

describe('C### constants', () => {
  it('every constant equals the number in its name', () => {
    expect(named.length).toBeGreaterThan(30);
    for (const [name, value] of named) expect(value, name).toBe(Number(name.slice(1, 4)));
  });

  it('every RFC 5321 §4.2.3 code has a named constant and the RFC text', () => {
    expect(rfc.reply_codes_numeric_order_4_2_3).toHaveLength(24);
    for (const { code, text } of rfc.reply_codes_numeric_order_4_2_3) {
      expect(
        named.some(([, v]) => v === code),
        `C${code}…`,
      ).toBe(true);
      expect(describeReplyCode(code)).toMatchObject({ code, text, reference: 'RFC 5321 §4.2.3' });
    }
  });

  it('every code of the §4.2.2 function groups and the §4.3.2 sequences is named', () => {
    const all = new Set<number>(rfc.function_groups_4_2_2.flat());
    for (const seq of Object.values(rfc.command_reply_sequences_4_3_2.commands)) {
      for (const v of Object.values(seq)) if (Array.isArray(v)) for (const c of v) all.add(c);
    }
    for (const code of all)
      expect(
        named.some(([, v]) => v === code),
        `C${code}…`,
      ).toBe(true);
  });

  it('has the extension codes the other packages need', () => {
    expect(codes.C235AuthenticationSucceeded).toBe(235);
    expect(codes.C334ServerChallenge).toBe(334);
    expect(codes.C432PasswordTransitionNeeded).toBe(432);
    expect(codes.C454TemporaryAuthFailure).toBe(454);
    expect(codes.C454TlsNotAvailable).toBe(454);
    expect(codes.C458UnableToQueueMessages).toBe(458);
    expect(codes.C459NodeNotAllowed).toBe(459);
    expect(codes.C521HostDoesNotAcceptMail).toBe(521);
    expect(codes.C530AuthenticationRequired).toBe(530);
    expect(codes.C534AuthMechanismTooWeak).toBe(534);
    expect(codes.C535AuthCredentialsInvalid).toBe(535);
    expect(codes.C538EncryptionRequiredForAuthMechanism).toBe(538);
    expect(codes.C556DomainDoesNotAcceptMail).toBe(556);
  });

  it('basicReplyCodes is in numeric order, one entry a code, each code named', () => {
    const list = basicReplyCodes.map((c) => c.code);
    expect(list).toEqual([...new Set(list)].sort((a, b) => a - b));
    for (const c of list)
      expect(
        named.some(([, v]) => v === c),
        String(c),
      ).toBe(true);
  });

  it('describeReplyCode leaves text undefined for an unknown code', () => {
    expect(describeReplyCode(299)).toEqual({
      code: 299,
      class: 'positive',
      category: undefined,
      text: undefined,
      reference: undefined,
    });
  });
});
