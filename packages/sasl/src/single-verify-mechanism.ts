import { utf8DecodeStrict } from './base64.js';
import {
  createCredentials,
  type SaslCredentialFields,
  type SaslCredentials,
} from './sasl-credentials.js';
import {
  outOfOrder,
  readClientResponse,
  responseFailure,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  steps,
  success,
  verdictFailure,
} from './sasl-mechanism.js';

/** The states every single-verify mechanism has besides its own waiting states. */
type CommonState = 'initial' | 'verifying' | 'done';

/** The first challenge of an exchange and the state that awaits the client's answer to it. */
export interface FirstChallenge<Waiting extends string> {
  readonly state: Waiting;
  readonly data: string;
}

/**
 * The state machine shared by the mechanisms that gather credentials in one or more client
 * responses and then ask the verifier once (PLAIN, LOGIN, CRAM-MD5, XOAUTH2): the order checks
 * (`start` only first, `next` only while a challenge awaits its answer, `verified` only after
 * `verify`), the RFC 4954 §4 response reading (`*` cancels, too long, not base64), the `verify`
 * step and the verdict. A subclass names its waiting states and says what each answer means.
 *
 * @example
 * ```ts
 * class EchoMechanism extends SingleVerifyMechanism<'awaiting-name'> {
 *   readonly name = 'X-ECHO';
 *   protected readonly answers = {
 *     'awaiting-name': (line: string) =>
 *       this.readText(line, false, (username) => this.verify({ username })),
 *   };
 *   protected firstChallenge() {
 *     return { state: 'awaiting-name', data: '' } as const;
 *   }
 *   protected initialResponse(response: string) {
 *     return this.readText(response, true, (username) => this.verify({ username }));
 *   }
 * }
 * ```
 */
export abstract class SingleVerifyMechanism<Waiting extends string> implements SaslServerMechanism {
  abstract readonly name: string;
  #state: Waiting | CommonState = 'initial';
  #credentials: SaslCredentials | undefined;

  /** What the client's line means in each waiting state; `next()` elsewhere is API misuse. */
  protected abstract readonly answers: {
    readonly [S in Waiting]: (clientLine: string) => SaslStep;
  };

  /** The challenge sent when AUTH carries no initial response. */
  protected abstract firstChallenge(): FirstChallenge<Waiting>;

  /** Handles the initial response given on the AUTH command line. */
  protected abstract initialResponse(response: string): SaslStep;

  start(initialResponse: string | undefined): SaslStep {
    if (this.#state !== 'initial') outOfOrder(this.name, 'start', this.#state);
    if (initialResponse !== undefined) return this.initialResponse(initialResponse);
    const first = this.firstChallenge();
    return this.challenge(first.state, first.data);
  }

  next(clientLine: string): SaslStep {
    const state = this.#state;
    if (!Object.hasOwn(this.answers, state)) return outOfOrder(this.name, 'next', state);
    return this.answers[state as Waiting](clientLine);
  }

  verified(verdict: SaslVerdict): SaslStep {
    const credentials = this.expectVerifying();
    this.#state = 'done';
    return verdict.kind === 'accept' ? success(credentials) : verdictFailure(verdict);
  }

  secrets(): SaslStep {
    return outOfOrder(this.name, 'secrets', this.#state);
  }

  /** The credentials awaiting a verdict; throws the API-misuse error in any other state. */
  protected expectVerifying(): SaslCredentials {
    if (this.#state !== 'verifying' || this.#credentials === undefined)
      outOfOrder(this.name, 'verified', this.#state);
    return this.#credentials;
  }

  /** Sends `data` as a challenge and waits in `state` for the answer. */
  protected challenge(state: Waiting, data: string): SaslStep {
    this.#state = state;
    return { kind: 'challenge', data };
  }

  /** Ends the exchange with `step`. */
  protected finish(step: SaslStep): SaslStep {
    this.#state = 'done';
    return step;
  }

  /**
   * Reads one client response (RFC 4954 §4): a cancel, a line too long or bad base64 ends the
   * exchange; the decoded bytes go to `parse`, which may end it too (the state is `done` until
   * `parse` moves on).
   */
  protected read(line: string, initial: boolean, parse: (bytes: Uint8Array) => SaslStep): SaslStep {
    const response = readClientResponse(line, initial);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    return parse(response.bytes);
  }

  /** {@link read}, and the bytes must be well-formed UTF-8 (malformed otherwise). */
  protected readText(line: string, initial: boolean, parse: (text: string) => SaslStep): SaslStep {
    return this.read(line, initial, (bytes) => {
      const text = utf8DecodeStrict(bytes);
      return text === undefined ? steps.malformed : parse(text);
    });
  }

  /** Records the gathered credentials and asks the driver to verify them. */
  protected verify(fields: Omit<SaslCredentialFields, 'mechanism'>): SaslStep {
    this.#credentials = createCredentials({ mechanism: this.name, ...fields });
    this.#state = 'verifying';
    return { kind: 'verify', credentials: this.#credentials };
  }
}
