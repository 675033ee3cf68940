// Conformance: every RFC transcript in ../shared/vectors/wire/transcripts.jsonl. Client command
// lines must parse; server replies must read back as whole replies, in order.
import { bytes, readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { CommandReader } from './command-reader.js';
import { formatReplyText } from './format-reply.js';
import { parseEhloReply } from './ehlo-reply.js';
import { ReplyReader } from './reply-reader.js';

interface Step {
  dir: 'C' | 'S' | 'meta';
  kind: string;
  text: string;
}
interface Transcript {
  id: string;
  steps: Step[];
}

const transcripts = readJsonl<Transcript>('wire', 'transcripts.jsonl');

describe('RFC transcripts', () => {
  it('has the expected corpus', () => {
    expect(transcripts.length).toBe(23);
  });

  for (const t of transcripts) {
    it(`${t.id}: client commands parse, pipelined in one chunk`, () => {
      const commands = t.steps
        .filter((s) => s.dir === 'C' && s.kind === 'command')
        .map((s) => s.text);
      const reader = new CommandReader();
      reader.push(bytes(commands.map((c) => `${c}\r\n`).join('')));
      const verbs: string[] = [];
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
        if (e.type !== 'command') throw new Error(`${e.code} in ${t.id}`);
        verbs.push(e.command.verb);
      }
      expect(verbs).toEqual(commands.map((c) => (c.split(' ')[0] as string).toUpperCase()));
    });

    it(`${t.id}: server replies read back and re-format identically`, () => {
      const lines = t.steps.filter((s) => s.dir === 'S' && s.kind === 'reply').map((s) => s.text);
      const wire = lines.map((l) => `${l}\r\n`).join('');
      const reader = new ReplyReader();
      reader.push(bytes(wire));
      let rebuilt = '';
      let finals = 0;
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
        if (e.type !== 'reply') throw new Error(`${e.code} in ${t.id}`);
        finals++;
        rebuilt += formatReplyText(e.reply);
        if (e.reply.code === 250 && e.reply.lines.length > 1) {
          // multi-line 250 replies in these transcripts are EHLO or EXPN answers
          expect(() => parseEhloReply(e.reply)).not.toThrow();
        }
      }
      expect(finals).toBe(lines.filter((l) => l.length === 3 || l[3] === ' ').length);
      expect(rebuilt).toBe(wire);
      expect(reader.bufferedLength).toBe(0);
    });
  }
});
