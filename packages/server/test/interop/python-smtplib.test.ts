// Python's smtplib (the standard library client) against @smtpkit/server: SMTP, SMTPUTF8 with a
// non-ASCII address, BODY=8BITMIME, STARTTLS with AUTH, and LMTP. smtplib dot-stuffs the message
// itself; the stored bytes must equal what it was given.
import { opensslSkipReason, runSmtplib, smtplibSkipReason } from '@smtpkit/testing';
import { describe, expect } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { INTEROP, itDeliversEach, useInteropServers } from './interop-suite.js';

const skip = smtplibSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('Python smtplib', INTEROP, () => {
  const account = { user: 'py-user', password: 'py pass' };
  const servers = useInteropServers({
    smtp: {},
    lmtp: { lmtp: true },
    withAuth: { tls: true, account },
  });
  const from = 'sender@example.com';
  const to = ['rcpt@example.com'];
  const lmtpTo = ['one@example.com', 'two@example.com', 'three@example.com'];

  itDeliversEach(servers, [
    {
      name: 'sendmail: stores the bytes given',
      server: 'smtp',
      data: asciiMessage('smtplib plain'),
      send: ({ port }, data) => runSmtplib({ port, from, to, data }),
      check: (m, r) => {
        expect(r.refused).toEqual({});
        expect(m.greeting).toBe('ehlo');
      },
    },
    {
      name: 'SMTPUTF8 (RFC 6531): a non-ASCII sender and recipient arrive as UTF-8',
      server: 'smtp',
      data: eightBitMessage('smtplib smtputf8'),
      send: ({ port }, data) =>
        runSmtplib({
          port,
          from: 'j\u00f8rgen@b\u00fccher.example',
          to: ['\u7528\u6237@\u4f8b\u5b50.example'],
          smtputf8: true,
          data,
        }),
      check: (m, r) => {
        expect(r.refused).toEqual({});
        expect(m.from).toBe('<j\u00f8rgen@b\u00fccher.example>');
        expect(m.to).toEqual(['<\u7528\u6237@\u4f8b\u5b50.example>']);
      },
    },
    {
      name: 'BODY=8BITMIME (RFC 6152): the 8-bit body is stored unchanged',
      server: 'smtp',
      data: eightBitMessage('smtplib 8bitmime'),
      send: ({ port }, data) =>
        runSmtplib({ port, from, to, mailOptions: ['BODY=8BITMIME'], data }),
      check: (_m, r) => expect(r.refused).toEqual({}),
    },
    {
      name: 'starttls() and login() (AUTH over TLS)',
      server: 'withAuth',
      data: asciiMessage('smtplib auth'),
      send: ({ port }, data) => runSmtplib({ port, from, to, starttls: true, auth: account, data }),
      check: (m) => {
        expect(m.tls).toBe(true);
        expect(m.user).toBe(account.user);
      },
    },
    {
      name: 'smtplib.LMTP: LHLO, one 250 per recipient after DATA (RFC 2033 §4.2)',
      server: 'lmtp',
      data: asciiMessage('smtplib lmtp'),
      send: ({ port }, data) => runSmtplib({ port, from, to: lmtpTo, lmtp: true, data }),
      check: (m, r) => {
        expect(r.refused).toEqual({});
        expect(r.lmtpReplies.map(([code]) => code)).toEqual([250, 250, 250]);
        expect(m.greeting).toBe('lhlo');
        expect(m.to).toEqual(lmtpTo.map((t) => `<${t}>`));
      },
    },
  ]);
});
