#!/usr/bin/env node
// `pnpm start` (tooling/demo) until the reference MTA exists: replays the RFC 5321 Appendix D.1 conversation
// through the sans-IO codecs of the built packages and prints what each side sees. It opens no
// socket. Run `pnpm build` first.
import { C220ServiceReady, C250Ok, createReply, replies } from '@smtpkit/reply';
import {
  CommandReader,
  DataDecoder,
  DataEncoder,
  formatReply,
  parseEhloReply,
  ReplyReader,
} from '@smtpkit/wire';

const enc = new TextEncoder();
const dec = new TextDecoder();
const show = (who, bytes) => {
  for (const line of dec.decode(bytes).split('\r\n').slice(0, -1)) console.log(`${who} ${line}`);
};

// The client's side of RFC 5321 D.1, pipelined into one write as a fast client would.
const body = enc.encode('Blah blah blah...\r\n...etc. etc. etc.\r\n.leading dot\r\n');
const encoder = new DataEncoder();
const stuffed = [...encoder.push(body), ...encoder.end()];
const clientBytes = [
  enc.encode('EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\n'),
  enc.encode('RCPT TO:<Green@foo.com>\r\nRCPT TO:<Brown@foo.com>\r\nDATA\r\n'),
  ...stuffed,
  enc.encode('QUIT\r\n'),
];

const server = new CommandReader();
const client = new ReplyReader();
const answer = (reply) => {
  const bytes = formatReply(reply, { enhanced: true });
  show('S:', bytes);
  client.push(bytes);
  for (let e = client.next(); e.type !== 'need-data'; e = client.next()) {
    if (e.type === 'reply' && e.reply.code === C250Ok && e.reply.lines.length > 1) {
      const ehlo = parseEhloReply(e.reply);
      console.log(`   (client sees capabilities: ${[...ehlo.capabilities.keys()].join(', ')})`);
    }
  }
};

answer(createReply(C220ServiceReady, undefined, 'foo.com Simple Mail Transfer Service Ready'));
let data;
for (const chunk of clientBytes) {
  let pending = chunk;
  while (pending.length > 0) {
    if (data) {
      const r = data.push(pending);
      pending = new Uint8Array(0);
      for (const c of r.chunks) show('C: (body)', c);
      if (r.done) {
        console.log(
          `   (end of data: ${data.bodyLength} body octets, violations: ${r.violations.length})`,
        );
        answer(replies.R250_2_0_0_Ok);
        data = undefined;
        if (r.rest) server.push(r.rest);
      }
    } else {
      server.push(pending);
      pending = new Uint8Array(0);
    }
    for (let e = server.next(); !data && e.type !== 'need-data'; e = server.next()) {
      if (e.type === 'error') {
        answer(e.reply);
        continue;
      }
      const cmd = e.command;
      console.log(`C: ${cmd.raw}`);
      if (cmd.verb === 'EHLO') {
        answer(
          createReply(
            C250Ok,
            undefined,
            'foo.com greets bar.com',
            '8BITMIME',
            'SIZE',
            'DSN',
            'PIPELINING',
            'HELP',
          ),
        );
      } else if (
        cmd.verb === 'RCPT' &&
        cmd.forwardPath.kind === 'mailbox' &&
        cmd.forwardPath.mailbox.localPart === 'Green'
      ) {
        answer(replies.R550_5_1_1_NoSuchUser);
      } else if (cmd.verb === 'DATA') {
        answer(replies.R354_StartMailInput);
        data = new DataDecoder();
        pending = server.takeRest();
      } else if (cmd.verb === 'QUIT') {
        answer(replies.R221_2_0_0_ServiceClosing);
      } else {
        answer(replies.R250_2_0_0_Ok);
      }
    }
  }
}
console.log('\nThat was the sans-IO core. The server, client and reference MTA are still to come.');
