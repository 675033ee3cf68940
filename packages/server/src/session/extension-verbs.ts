import { replies } from '@smtpkit/reply';
import { BdatReader } from '@smtpkit/wire';
import { auth, startTls } from './auth-exchange.js';
import { bdat } from './body.js';
import type { SessionCore } from './session-core.js';

/**
 * A verb the registry owns (BDAT, STARTTLS, AUTH, ETRN, XCLIENT, third-party ones): the registry
 * parses its argument and says what to do, as a value; the session does it.
 */
export function extensionVerb(core: SessionCore, verb: string, argument: string | undefined): void {
  const r = core.config.registry.dispatch(verb, argument, core.ctx);
  if (r === undefined) return;
  switch (r.kind) {
    case 'reply':
      if (r.reply.code >= 400) core.error(r.reply);
      else core.write(r.reply);
      if (core.state.phase === 'closed') return;
      if (r.close === true) {
        core.close('protocol');
      } else if (r.discard !== undefined && r.discard > 0) {
        // RFC 3030 §2: a refused BDAT's octets still follow; read and drop them.
        core.fire({ type: 'skip', reader: new BdatReader(r.discard) });
      }
      return;
    case 'ask':
      if (core.config.hooks.has(r.hook)) {
        core.ask({ kind: 'reply', id: 0, fallback: replies.R250_2_0_0_Ok }, r.hook, r.payload);
      } else {
        core.write(replies.R502_5_5_1_CommandNotImplemented);
      }
      return;
    case 'bdat':
      bdat(core, r.size, r.last, r.reply);
      return;
    case 'starttls':
      core.write(r.reply);
      startTls(core);
      return;
    case 'auth':
      auth(core, r.mechanism, r.initialResponse);
      return;
    case 'restart':
      // An authorized proxy named the real client (XCLIENT): a new greeting, as on a new
      // connection, and the session starts over.
      core.fire({ type: 'restart', client: r.client });
      core.write(r.reply ?? core.config.banner);
      return;
  }
}
