import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options.js';
import { SinkError } from './sink-error.js';

const flags = fc.constantFrom(
  '--listen',
  '--tls-listen',
  '--maildir',
  '--size',
  '--tls-cert',
  '--tls-key',
  '--auth',
  '--auth-without-tls',
  '--lmtp',
  '--hostname',
  '--verbose',
  '--max-connections',
  '--max-connections-per-ip',
  '--listn',
  '--help',
  '-h',
  '-v',
  '-x',
  '--',
  '-',
);
const alphabet = fc.constantFrom(...'<>:@.,;="\\\r\n []-/'.split(''), ...'ab09xyZ'.split(''));
const word = fc.oneof(
  fc.array(alphabet, { maxLength: 20 }).map((a) => a.join('')),
  fc.string(),
);

describe('parseCliOptions properties', () => {
  it('any argument vector gives options or a usage SinkError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(flags, word), { maxLength: 12 }), (argv) => {
        try {
          const o = parseCliOptions(argv);
          // What was accepted is consistent: implicit TLS and AUTH only with a certificate.
          if (o.tlsListen.length > 0) expect(o.tlsCert).toBeDefined();
          if (o.accounts.length > 0 && !o.authWithoutTls) expect(o.tlsKey).toBeDefined();
          expect(o.listen.length + o.tlsListen.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(SinkError);
          expect((e as SinkError).code).toBe('ERR_SINK_USAGE');
          // One line on stderr, whatever bytes the arguments held.
          expect((e as SinkError).message).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
