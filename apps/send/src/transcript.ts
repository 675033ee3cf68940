import diagnosticsChannel from 'node:diagnostics_channel';
import { channels } from '@smtpkit/client';
import { type EnhancedStatus, formatEnhancedStatus, type Reply } from '@smtpkit/reply';

/** Text from a server or a user, made safe for one terminal line: C0 and C1 controls escaped. */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const n = c.charCodeAt(0);
    out += n < 0x20 || (n >= 0x7f && n <= 0x9f) ? `\\x${n.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

/**
 * A reply on one line: code, enhanced code, its lines joined by spaces.
 *
 * @example
 * ```ts
 * formatReplyLine({ code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: ['Ok'] }); // '250 2.0.0 Ok'
 * ```
 */
export function formatReplyLine(reply: Reply): string {
  const enhanced = reply.enhanced === undefined ? '' : ` ${formatEnhancedStatus(reply.enhanced)}`;
  const text = reply.lines.join(' ').trim();
  return printable(`${reply.code}${enhanced}${text === '' ? '' : ` ${text}`}`);
}

interface ConnectionMessage {
  readonly id: string;
  readonly event: 'open' | 'secure' | 'close';
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly protocol?: string;
  readonly cipher?: string;
}

const where = (host: string | undefined, port: number | undefined) =>
  host?.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * `-v`: the transcript from the client's `node:diagnostics_channel` channels, one line each on
 * `write`: `*` for the connection (opened, under TLS, closed), `C:` for each command by its verb,
 * `S:` for each reply by its codes. The channels never carry arguments, so AUTH data (and the
 * addresses) never show; the transaction's full replies are printed by the caller. Returns the
 * function that unsubscribes.
 *
 * @example
 * ```ts
 * const stop = printTranscript((line) => process.stderr.write(`${line}\n`));
 * ```
 */
export function printTranscript(write: (line: string) => void): () => void {
  const subscriptions: [string, (message: unknown) => void][] = [
    [
      channels.connection.name as string,
      (message) => {
        const m = message as ConnectionMessage;
        if (m.event === 'open') {
          write(
            `* connected to ${where(m.remoteAddress, m.remotePort)} from ${where(m.localAddress, m.localPort)}`,
          );
        } else if (m.event === 'secure') {
          write(`* TLS: ${m.protocol} ${m.cipher}`);
        } else {
          write('* connection closed');
        }
      },
    ],
    [channels.command.name as string, (m) => write(`C: ${(m as { verb: string }).verb}`)],
    [
      channels.reply.name as string,
      (message) => {
        const m = message as { code: number; enhanced?: EnhancedStatus };
        const enhanced = m.enhanced === undefined ? '' : ` ${formatEnhancedStatus(m.enhanced)}`;
        write(`S: ${m.code}${enhanced}`);
      },
    ],
  ];
  for (const [name, listener] of subscriptions) diagnosticsChannel.subscribe(name, listener);
  return () => {
    for (const [name, listener] of subscriptions) diagnosticsChannel.unsubscribe(name, listener);
  };
}
