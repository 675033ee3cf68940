import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from './base64.js';
import { nodeSaslCrypto } from './node/node-sasl-crypto.js';
import { saslChallengeReply, saslReplies } from './sasl-replies.js';
import { createServerMechanism } from './server-mechanisms.js';

interface Transcript {
  readonly id: string;
  readonly steps: readonly { readonly dir: string; readonly text: string; readonly kind: string }[];
}

// ../shared/vectors/wire/transcripts.jsonl, "rfc2554-4-auth-cram-md5" (RFC 2554 §4, the AUTH
// example RFC 4954 keeps): AUTH FOOBAR → 504; AUTH CRAM-MD5 → 334 challenge → response → 235.
const transcript = readJsonl<Transcript>('wire', 'transcripts.jsonl').find(
  (t) => t.id === 'rfc2554-4-auth-cram-md5',
);

describe('RFC 2554 §4 AUTH transcript (conformance vector)', () => {
  it('is present', () => {
    expect(transcript).toBeDefined();
  });
  it('replays: unknown mechanism, then the CRAM-MD5 exchange byte for byte', () => {
    const steps = transcript?.steps ?? [];
    const at = (text: string) => steps.findIndex((s) => s.text === text);
    // "C: AUTH FOOBAR" / "S: 504 Unrecognized authentication type."
    const foobar = at('AUTH FOOBAR');
    expect(createServerMechanism('FOOBAR', { crypto: nodeSaslCrypto })).toBeUndefined();
    expect(steps[foobar + 1]?.text.slice(0, 3)).toBe(
      String(saslReplies.R504_5_5_4_MechanismNotSupported.code),
    );
    // "C: AUTH CRAM-MD5" / "S: 334 <challenge>"
    const auth = at('AUTH CRAM-MD5');
    const serverLine = steps[auth + 1]?.text ?? '';
    const challengeB64 = serverLine.slice(4);
    const challenge = new TextDecoder().decode(decodeBase64Strict(challengeB64));
    const m = createServerMechanism('CRAM-MD5', { crypto: nodeSaslCrypto, cramMd5: { challenge } });
    const first = m?.start(undefined);
    expect(first).toEqual({ kind: 'challenge', data: challengeB64 });
    const reply = saslChallengeReply(challengeB64);
    expect(`${reply.code} ${reply.lines[0]}`).toBe(serverLine);
    // "C: ZnJlZCA5ZTk1..." → the verifier is asked about fred's digest.
    const response = steps[auth + 2];
    expect(response?.kind).toBe('sasl-response');
    const verify = m?.next(response?.text ?? '');
    expect(verify?.kind).toBe('verify');
    if (verify?.kind !== 'verify') return;
    expect(verify.credentials.username).toBe('fred');
    expect(verify.credentials.digest).toBe('9e95aee09c40af2b84a0c2b3bbae786e');
    expect(verify.credentials.challenge).toBe(challenge);
    // "S: 235 Authentication successful." (the RFC does not give fred's secret: accept).
    const done = m?.verified({ kind: 'accept' });
    expect(done?.kind === 'success' && done.reply.code).toBe(
      Number(steps[auth + 3]?.text.slice(0, 3)),
    );
  });
});
