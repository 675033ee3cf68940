/** The README snippet, as a test: its printed values are the asserted ones. */
import { describe, expect, it } from 'vitest';
import { createScramSha256Client, createServerMechanism, scramCredentials } from './index.js';
import { nodeSaslCrypto } from './node/index.js';

describe('README', () => {
  it('runs a SCRAM-SHA-256 exchange to success as documented', () => {
    const stored = scramCredentials('pencil', nodeSaslCrypto.randomBytes(16), 4096, nodeSaslCrypto);
    const server = createServerMechanism('SCRAM-SHA-256', { crypto: nodeSaslCrypto });
    if (server === undefined) throw new Error('SCRAM-SHA-256 missing');
    const client = createScramSha256Client({
      username: 'user',
      password: 'pencil',
      crypto: nodeSaslCrypto,
    });
    let step = server.start(client.initialResponse());
    const kinds: string[] = [step.kind];
    for (let rounds = 0; rounds < 8; rounds++) {
      if (step.kind === 'lookup')
        step = server.secrets(step.username === 'user' ? stored : undefined);
      else if (step.kind === 'verify') step = server.verified({ kind: 'accept' });
      else if (step.kind === 'challenge') step = server.next(client.respond(step.data));
      else break;
      kinds.push(step.kind);
    }
    expect(() => client.complete()).not.toThrow();
    expect(step.kind).toBe('success');
    expect(kinds).toEqual(['lookup', 'challenge', 'verify', 'challenge', 'success']);
  });
});
