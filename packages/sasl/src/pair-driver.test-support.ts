import type { SaslClientMechanism } from './client/sasl-client-mechanism.js';
import type { SaslCredentials } from './sasl-credentials.js';
import type {
  SaslServerMechanism,
  SaslStep,
  SaslVerdict,
  ScramStoredSecrets,
} from './sasl-mechanism.js';

/** Test support: one AUTH exchange between a server and a client mechanism, as a transcript. */
export interface PairResult {
  readonly final: SaslStep;
  /** `S: <challenge>` / `C: <response>` lines as they would cross the wire. */
  readonly transcript: readonly string[];
  readonly verified: readonly SaslCredentials[];
}

/**
 * Drives `server` with `client` until a terminal step, asking `verify` and `lookup` for
 * decisions. Bounded to 16 rounds.
 */
export function runPair(
  server: SaslServerMechanism,
  client: SaslClientMechanism,
  verify: (credentials: SaslCredentials) => SaslVerdict,
  lookup: (username: string) => ScramStoredSecrets | undefined = () => undefined,
): PairResult {
  const transcript: string[] = [];
  const verified: SaslCredentials[] = [];
  const initial = client.initialResponse();
  transcript.push(`C: AUTH ${server.name}${initial === undefined ? '' : ` ${initial}`}`);
  let step = server.start(initial);
  for (let round = 0; round < 16; round++) {
    switch (step.kind) {
      case 'challenge': {
        transcript.push(`S: 334 ${step.data}`);
        const line = client.respond(step.data);
        transcript.push(`C: ${line}`);
        step = server.next(line);
        break;
      }
      case 'verify':
        verified.push(step.credentials);
        step = server.verified(verify(step.credentials));
        break;
      case 'lookup':
        step = server.secrets(lookup(step.username));
        break;
      case 'success':
        transcript.push(`S: ${step.reply.code}`);
        client.complete();
        return { final: step, transcript, verified };
      default:
        transcript.push(`S: ${step.reply.code}`);
        return { final: step, transcript, verified };
    }
  }
  throw new Error('exchange did not end in 16 rounds');
}
