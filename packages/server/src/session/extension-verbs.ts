import { replies } from '@smtpkit/reply';
import { BdatReader } from '@smtpkit/wire';
import { handleXclient } from '../proxy/xclient.js';
import { auth, startTls } from './auth-exchange.js';
import { bdat } from './body.js';
import type { CommandState } from './server-state.js';
import type { SessionCore } from './session-core.js';

// Verbs the registry owns (BDAT, STARTTLS, AUTH, ETRN, third-party ones) and XCLIENT.
export function extensionVerb(core: SessionCore, verb: string, argument: string | undefined): void {
  const r = core.config.registry.dispatch(verb, argument, core.ctx);
  if (r === undefined) return;
  switch (r.kind) {
    case 'reply': {
      // The registry answers a BDAT out of sequence with "Need RCPT command"; before MAIL, the
      // command the client is missing is MAIL.
      const reply =
        verb === 'BDAT' &&
        r.reply === replies.R503_5_5_1_NeedRcptCommand &&
        (core.state.phase === 'greeted' || core.state.phase === 'connected')
          ? replies.R503_5_5_1_NeedMailCommand
          : r.reply;
      if (reply.code >= 400) core.error(reply);
      else core.write(reply);
      if (core.state.phase === 'closed') return;
      if (r.close === true) {
        core.close('protocol');
      } else if (r.discard !== undefined && r.discard > 0) {
        // RFC 3030 §2: a refused BDAT's octets still follow; read and drop them.
        core.state = {
          phase: 'skip',
          reader: new BdatReader(r.discard),
          resume: core.state as CommandState,
        };
      }
      return;
    }
    case 'ask':
      if (core.config.hooks.has(r.hook)) {
        core.ask({ kind: 'reply', id: 0, fallback: replies.R250_2_0_0_Ok }, r.hook, r.payload);
      } else {
        core.write(replies.R502_5_5_1_CommandNotImplemented);
      }
      return;
    case 'bdat':
      bdat(core, r.size, r.last);
      return;
    case 'starttls':
      core.write(r.reply);
      startTls(core);
      return;
    case 'auth':
      auth(core, r.mechanism, r.initialResponse);
      return;
  }
}

// Postfix XCLIENT_README: attributes from an authorized proxy, then a new 220 greeting.
export function xclientCommand(core: SessionCore, argument: string | undefined): void {
  const phase = core.state.phase;
  const outcome = handleXclient(argument ?? '', {
    remoteAddress: core.xclientAllowed ? core.remoteAddress : undefined,
    allowedPeers: core.config.xclient ?? [],
    inTransaction: phase === 'mail' || phase === 'rcpt' || phase === 'bdat',
  });
  if (outcome.kind === 'refused') {
    core.error(outcome.reply);
    return;
  }
  core.xclient = outcome.attributes;
  const helo = outcome.attributes.helo;
  core.heloName = helo?.kind === 'value' ? helo.value : undefined;
  const login = outcome.attributes.login;
  core.user = login?.kind === 'value' ? login.value : undefined;
  core.state = { phase: 'connected' };
  core.ctx = core.newContext(undefined, core.user !== undefined);
  core.write(core.config.banner);
}

// ---- decisions ----
