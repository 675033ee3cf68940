import { describe, expect, it } from 'vitest';
import { describeEnhancedStatus } from './describe-enhanced-status.js';
import { formatEnhancedStatus } from './enhanced-status.js';
import { replies } from './replies.js';
import { isReply } from './reply.js';

const entries = Object.entries(replies);

/**
 * Catalogue entries whose basic code is not one the IANA registry associates with the enhanced
 * code, each with the RFC text that justifies the pair. The registry's associated codes are the
 * ones its source documents mentioned, not an exhaustive list.
 */
const EXCEPTIONS: Record<string, string> = {
  R452_4_5_3_TooManyRecipients:
    'RFC 5321 §4.5.3.1.10: a server whose recipient limit is exhausted "MUST use a response code of 452"; RFC 3463 names X.5.3 "Too many recipients" (the registry lists only 451).',
  R452_4_2_2_MailboxFull:
    'RFC 3463 X.2.2 Mailbox full: "This code should be used as a persistent transient failure." 452 is the RFC 5321 transient storage reply (the registry lists only 552).',
  R421_4_3_2_ShuttingDown:
    'RFC 3463 X.3.2 gives "an imminent shutdown" as its example and is "useful for both permanent and persistent transient errors"; RFC 5321 §4.2.3: 421 "may be a reply to any command if the service knows it must shut down".',
  R421_4_7_0_TooManyErrors:
    'RFC 5321 §4.2.3: 421 closes the channel and may answer any command; RFC 3463 X.7.0 is the generic policy status (registry lists 4yz 450/454 only).',
  R421_4_7_0_TooManyConnections:
    'RFC 5321 §4.2.3 / §3.8: 421 is the reply that closes the channel; the refusal is a policy decision, RFC 3463 X.7.0.',
  R502_5_5_1_CommandNotImplemented:
    'RFC 3463 X.5.1 Invalid command: "out of sequence or unsupported"; RFC 5321 §4.2.3 502 "Command not implemented" is the unsupported case (registry omits 502).',
  R455_4_5_4_ParametersNotAccommodated:
    'RFC 5321 §4.2.3 455 "Server unable to accommodate parameters"; no registry entry lists 455, RFC 3463 X.5.4 covers arguments "out of range or represented unrecognized features".',
  R554_5_7_1_RelayDenied:
    'RFC 5321 §4.2.3: 554 "Transaction failed" is the permanent failure of the transaction; RFC 3463 X.7.1 "Delivery not authorized, message refused" (registry lists 550, not 554).',
};

describe('replies catalogue', () => {
  it('has the entries the other packages code against', () => {
    for (const name of [
      'R250_2_0_0_Ok',
      'R500_5_5_2_LineTooLong',
      'R500_5_5_2_SyntaxError',
      'R501_5_5_4_SyntaxErrorInParameters',
      'R501_5_1_3_BadSenderAddressSyntax',
      'R501_5_1_3_BadRecipientAddressSyntax',
      'R553_5_6_7_Utf8AddressNotPermitted',
      'R555_5_5_4_ParameterNotRecognized',
      'R503_5_5_1_BadSequence',
    ]) {
      expect(replies, name).toHaveProperty(name);
    }
  });

  it.each(entries)('%s is a valid, frozen reply', (_name, r) => {
    expect(isReply(r)).toBe(true);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.lines)).toBe(true);
  });

  it('the catalogue object itself is frozen', () => {
    expect(Object.isFrozen(replies)).toBe(true);
  });

  it.each(entries.filter(([n]) => n !== 'R501_5_1_3_BadSenderAddressSyntax'))(
    '%s is named by its code and enhanced status',
    (name, r) => {
      const m = /^R(\d{3})(?:_(\d)_(\d{1,3})_(\d{1,3}))?_[A-Z][A-Za-z0-9]*$/.exec(name);
      expect(m, name).not.toBeNull();
      if (m === null) return;
      expect(r.code).toBe(Number(m[1]));
      if (m[2] === undefined) expect(r.enhanced).toBeUndefined();
      else expect(r.enhanced && formatEnhancedStatus(r.enhanced)).toBe(`${m[2]}.${m[3]}.${m[4]}`);
    },
  );

  it('keeps the first-draft name R501_5_1_3_BadSenderAddressSyntax as an alias of 501 5.1.7', () => {
    // RFC 3463 X.1.3 is "Bad destination mailbox address syntax"; X.1.7 is "Bad sender's mailbox
    // address syntax", so the sender's reply carries 5.1.7 whatever the old name says.
    expect(replies.R501_5_1_3_BadSenderAddressSyntax).toBe(
      replies.R501_5_1_7_BadSenderAddressSyntax,
    );
  });

  const withEnhanced = entries.filter(([, r]) => r.enhanced !== undefined);
  it.each(withEnhanced)('%s uses an enhanced code of the IANA registry', (_name, r) => {
    const d = r.enhanced && describeEnhancedStatus(r.enhanced);
    expect(d?.registered).toBe(true);
    expect(d?.deprecated).toBe(false);
  });

  it.each(withEnhanced)(
    '%s uses a basic code the registry associates with its enhanced code (or a listed exception)',
    (name, r) => {
      const d = r.enhanced && describeEnhancedStatus(r.enhanced);
      const associated = d?.basicCodes ?? [];
      const agrees = associated.length === 0 || associated.includes(r.code);
      if (name in EXCEPTIONS) {
        // An exception that the registry came to agree with should leave the list.
        expect(agrees, `${name} no longer needs an exception`).toBe(false);
      } else {
        expect(agrees, `${name}: ${r.code} not in [${associated.join(', ')}]`).toBe(true);
      }
    },
  );

  it('lists no exception for an entry that does not exist', () => {
    for (const name of Object.keys(EXCEPTIONS)) expect(replies).toHaveProperty(name);
  });

  it('has no enhanced status on the greeting, the HELO/EHLO reply, 334 or 354 (RFC 2034 §4, RFC 3463)', () => {
    for (const r of [
      replies.R220_ServiceReady,
      replies.R250_Hello,
      replies.R334_ServerChallenge,
      replies.R354_StartMailInput,
    ]) {
      expect(r.enhanced).toBeUndefined();
    }
  });

  it('has every reply the brief names, with its code and status', () => {
    const expected: Record<string, string> = {
      R452_4_5_3_TooManyRecipients: '452 4.5.3',
      R552_5_3_4_MessageTooBig: '552 5.3.4',
      R421_4_7_0_TooManyErrors: '421 4.7.0',
      R421_4_4_2_Timeout: '421 4.4.2',
      R421_4_3_2_ShuttingDown: '421 4.3.2',
      R554_5_6_0_BareLineFeed: '554 5.6.0',
      R553_5_6_7_Utf8AddressNotPermitted: '553 5.6.7',
      R550_5_7_1_RelayDenied: '550 5.7.1',
      R554_5_7_1_RelayDenied: '554 5.7.1',
      R555_5_5_4_ParameterNotRecognized: '555 5.5.4',
      R220_2_0_0_ReadyToStartTls: '220 2.0.0',
      R454_4_7_0_TlsNotAvailable: '454 4.7.0',
      R501_5_5_4_StartTlsNoParameters: '501 5.5.4',
      R235_2_7_0_AuthenticationSucceeded: '235 2.7.0',
      R432_4_7_12_PasswordTransitionNeeded: '432 4.7.12',
      R454_4_7_0_TemporaryAuthFailure: '454 4.7.0',
      R500_5_5_6_AuthLineTooLong: '500 5.5.6',
      R501_5_5_2_CannotDecodeBase64: '501 5.5.2',
      R504_5_5_4_UnrecognizedAuthType: '504 5.5.4',
      R530_5_7_0_AuthenticationRequired: '530 5.7.0',
      R534_5_7_9_AuthMechanismTooWeak: '534 5.7.9',
      R535_5_7_8_AuthCredentialsInvalid: '535 5.7.8',
      R538_5_7_11_EncryptionRequiredForAuthMechanism: '538 5.7.11',
      R550_5_7_30_RequireTlsSupportRequired: '550 5.7.30',
      R250_2_0_0_QueuingStarted: '250 2.0.0',
      R251_2_0_0_NoMessagesWaiting: '251 2.0.0',
      R252_2_0_0_PendingMessagesStarted: '252 2.0.0',
      R253_2_0_0_PendingMessagesCount: '253 2.0.0',
      R458_4_5_0_UnableToQueue: '458 4.5.0',
      R459_4_5_0_NodeNotAllowed: '459 4.5.0',
      R503_5_5_1_DataAfterBdat: '503 5.5.1',
    };
    for (const [name, wire] of Object.entries(expected)) {
      const r = (
        replies as Record<
          string,
          { code: number; enhanced?: Parameters<typeof formatEnhancedStatus>[0] }
        >
      )[name];
      expect(r, name).toBeDefined();
      if (r === undefined) continue;
      expect(`${r.code} ${r.enhanced ? formatEnhancedStatus(r.enhanced) : ''}`, name).toBe(wire);
    }
  });
});
