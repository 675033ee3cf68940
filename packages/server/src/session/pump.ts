import { authLine } from './auth-exchange.js';
import { feedChunk, feedData } from './body.js';
import { commandLine } from './commands.js';
import type { SessionCore } from './session-core.js';
import { TRIGGERS } from './transitions.js';

/**
 * The session's loop: bytes buffered in the line reader go to the part of the session that
 * reads them now (commands, a DATA body, a BDAT chunk, a skipped chunk, AUTH lines), until it
 * needs more bytes or waits for a hook.
 */
export function pump(core: SessionCore): void {
  for (;;) {
    if (core.draining) core.drainIfIdle();
    const s = core.state;
    switch (s.phase) {
      case 'data': {
        const rest = core.lines.takeRest();
        if (rest.length === 0 || !feedData(core, s, rest)) return;
        break;
      }
      case 'skip': {
        const r = s.reader.push(core.lines.takeRest());
        if (!r.done) return;
        core.fire(TRIGGERS.skipEnd);
        if (r.rest !== undefined && r.rest.length > 0) core.lines.push(r.rest);
        break;
      }
      case 'auth': {
        if (core.pending !== undefined) return;
        const e = core.lines.next();
        if (e.type === 'need-data') return;
        authLine(core, s.mechanism, e);
        break;
      }
      case 'bdat':
        if (s.reader !== undefined) {
          const rest = core.lines.takeRest();
          if (rest.length === 0 && s.reader.remaining > 0) return;
          if (!feedChunk(core, s, rest)) return;
        } else if (!readCommand(core)) {
          return;
        }
        break;
      case 'connected':
      case 'greeted':
      case 'mail':
      case 'rcpt':
        if (!readCommand(core)) return;
        break;
      default:
        return;
    }
  }
}

/** Reads and handles one command line; false when there is none to read now. */
function readCommand(core: SessionCore): boolean {
  if (core.pending !== undefined) return false;
  const e = core.lines.next();
  if (e.type === 'need-data') return false;
  commandLine(core, e);
  return true;
}
