// Attack: STARTTLS plaintext command injection (the 2011 family of bugs, CVE-2011-0411 and
// others). The attacker appends commands to the STARTTLS line in the same TCP segment; a server
// that keeps its buffer across the TLS handshake then runs them as if they came over TLS.
// RFC 3207 §4.2: the server "MUST discard any knowledge obtained from the client" before TLS.
import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { CommandReader } from '../command-reader.js';
import { ReplyReader } from '../reply-reader.js';

describe('attack: STARTTLS plaintext injection', () => {
  it('lets the server discard commands pipelined behind STARTTLS, counting them', () => {
    const injected = 'RSET\r\nMAIL FROM:<attacker@example.net>\r\n';
    const reader = new CommandReader();
    reader.push(bytes(`STARTTLS\r\n${injected}`));
    const e = reader.next();
    expect(e.type === 'command' && e.command.verb).toBe('STARTTLS');
    expect(reader.discardRest()).toBe(injected.length);
    expect(reader.next()).toEqual({ type: 'need-data' });
    // Bytes read after the handshake start clean.
    reader.push(bytes('EHLO client.example\r\n'));
    const after = reader.next();
    expect(after.type === 'command' && after.command.verb).toBe('EHLO');
    expect(reader.next()).toEqual({ type: 'need-data' });
  });

  it('discards a half-sent injected command too', () => {
    const reader = new CommandReader();
    reader.push(bytes('STARTTLS\r\nMAIL FROM:<x@ex'));
    expect(reader.next().type).toBe('command');
    expect(reader.discardRest()).toBe('MAIL FROM:<x@ex'.length);
    reader.push(bytes('ample.com>\r\n'));
    // The tail of the injected line cannot join anything: it is its own (bad) line.
    expect(reader.next()).toMatchObject({ type: 'error', code: 'ERR_WIRE_COMMAND_SYNTAX' });
  });

  it('lets the client discard replies a man in the middle appended to 220 Ready to start TLS', () => {
    const replies = new ReplyReader();
    replies.push(bytes('220 2.0.0 Ready to start TLS\r\n250-evil.example\r\n250 AUTH PLAIN\r\n'));
    const ready = replies.next();
    expect(ready.type === 'reply' && ready.reply.code).toBe(220);
    const rest = replies.discardRest();
    expect(rest).toBeGreaterThan(0);
    expect(replies.next()).toEqual({ type: 'need-data' });
  });
});
