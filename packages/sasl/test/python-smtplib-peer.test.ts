import { spawnSync } from 'node:child_process';
import { peerSkipReason } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../src/base64.js';
import { createCramMd5Mechanism, verifyCramMd5 } from '../src/cram-md5-mechanism.js';
import { createLoginMechanism, LOGIN_PASSWORD_CHALLENGE } from '../src/login-mechanism.js';
import { nodeSaslCrypto } from '../src/node/node-sasl-crypto.js';
import { createPlainMechanism } from '../src/plain-mechanism.js';
import type { SaslServerMechanism, SaslStep } from '../src/sasl-mechanism.js';

// Real peer: CPython's smtplib computes the client side of PLAIN, LOGIN and CRAM-MD5 through
// its own SMTP.auth() loop. Its docmd() is replaced so the lines it would send are recorded
// and the server's 334 challenges (given in advance: ours are deterministic) are played back.
const PYTHON = '/usr/bin/python3';
const SCRIPT = `
import base64, json, smtplib, sys
mech, user, password, challenges = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
sent = []
class Recorder(smtplib.SMTP):
    def docmd(self, cmd, args=""):
        sent.append(cmd + (" " + args if args else ""))
        if challenges:
            return (334, challenges.pop(0).encode("ascii"))
        return (235, b"2.7.0 Authentication succeeded")
s = Recorder()
s.user, s.password = user, password
s.auth(mech, getattr(s, "auth_" + mech.lower().replace("-", "_")))
print(json.dumps(sent))
`;

const skip = peerSkipReason(PYTHON, ['-c', 'import smtplib']);

function smtplibLines(
  mech: string,
  user: string,
  password: string,
  challenges: string[],
): string[] {
  const r = spawnSync(PYTHON, ['-c', SCRIPT, mech, user, password, JSON.stringify(challenges)], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** Feeds smtplib's lines to a server mechanism; returns the steps. */
function replay(m: SaslServerMechanism, lines: string[]): SaslStep[] {
  const [auth, ...rest] = lines;
  const parts = (auth ?? '').split(' ');
  expect(parts[0]).toBe('AUTH');
  expect(parts[1]).toBe(m.name);
  const stepsSeen = [m.start(parts[2])];
  for (const line of rest) stepsSeen.push(m.next(line));
  return stepsSeen;
}

describe.skipIf(skip !== undefined)('Python smtplib as the AUTH client', () => {
  it('PLAIN: smtplib initial response verifies', () => {
    const steps = replay(createPlainMechanism(), smtplibLines('PLAIN', 'tim', 'tanstaaf', []));
    const last = steps.at(-1);
    expect(last?.kind === 'verify' && last.credentials.password).toBe('tanstaaf');
  });
  it('LOGIN: user name as initial response, then the password', () => {
    const m = createLoginMechanism();
    const lines = smtplibLines('LOGIN', 'tim', 'tanstaaf', [LOGIN_PASSWORD_CHALLENGE]);
    const steps = replay(m, lines);
    expect(steps[0]).toEqual({ kind: 'challenge', data: LOGIN_PASSWORD_CHALLENGE });
    const last = steps.at(-1);
    expect(last?.kind === 'verify' && last.credentials.password).toBe('tanstaaf');
  });
  it('CRAM-MD5: smtplib digest of our challenge verifies with the shared secret', () => {
    const challenge = '<1896.697170952@postoffice.reston.mci.net>';
    const m = createCramMd5Mechanism({ challenge });
    const lines = smtplibLines('CRAM-MD5', 'tim', 'tanstaaftanstaaf', [encodeBase64(challenge)]);
    expect(lines[0]).toBe('AUTH CRAM-MD5');
    const steps = replay(m, lines);
    const last = steps.at(-1);
    expect(last?.kind).toBe('verify');
    if (last?.kind !== 'verify') return;
    expect(last.credentials.digest).toBe('b913a602c7eda7a495b4e6e7334d3890');
    expect(
      verifyCramMd5('tanstaaftanstaaf', challenge, last.credentials.digest ?? '', nodeSaslCrypto),
    ).toBe(true);
  });
});
