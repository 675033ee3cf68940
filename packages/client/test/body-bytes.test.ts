// Bodies a careless client changes or that could end DATA early (bare LF, bare CR, lines of only
// ".", "\r\n\r\n.", binary octets), sent whole and streamed. By BDAT (RFC 3030) they arrive byte
// for byte. By DATA, RFC 5321 §2.3.8 lets CR and LF travel only as CRLF: what arrives is the text
// with every bare LF and bare CR made CRLF and a final CRLF added, dot-stuffing (§4.5.2) undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SmtpClient } from '../src/index.js';
import { crlfNormalised, TRICKY_BODIES } from './support/bodies.js';
import { type ReceivingServer, startReceivingServer } from './support/receiving-server.js';

const envelope = { from: 'a@example.org', to: 'b@example.com' };

/** The body in pieces of 7 octets: chunk boundaries fall inside CRLF pairs and after dots. */
async function* inPieces(body: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < body.length; i += 7) yield body.subarray(i, i + 7);
}

describe('message bodies arrive intact', () => {
  let bdat: ReceivingServer;
  let data: ReceivingServer;
  let toBdat: SmtpClient;
  let toData: SmtpClient;
  beforeAll(async () => {
    bdat = await startReceivingServer();
    data = await startReceivingServer({ without: ['CHUNKING'] });
    toBdat = await connect({ host: '127.0.0.1', port: bdat.port });
    toData = await connect({ host: '127.0.0.1', port: data.port });
  });
  afterAll(async () => {
    await Promise.all([toBdat?.quit(), toData?.quit()]);
    await Promise.all([bdat?.stop(), data?.stop()]);
  });

  for (const [name, body] of Object.entries(TRICKY_BODIES)) {
    const binary = name === 'binary octets';
    for (const streamed of [false, true]) {
      const how = streamed ? 'streamed in 7-octet pieces' : 'whole';
      it(`${name}, ${how}: by BDAT byte for byte`, async () => {
        const before = bdat.messages.length;
        const result = await toBdat.send(
          // Octets outside text lines are BINARYMIME's (RFC 3030 §3).
          binary ? { ...envelope, body: 'BINARYMIME' } : envelope,
          streamed ? inPieces(body) : body,
        );
        expect([result.via, result.message?.code]).toEqual(['BDAT', 250]);
        expect((await bdat.waitForMessages(before + 1))[before]?.body).toEqual(body);
      });

      it(`${name}, ${how}: by DATA as CRLF-normalised text`, async () => {
        const before = data.messages.length;
        const result = await toData.send(envelope, streamed ? inPieces(body) : body);
        expect([result.via, result.message?.code]).toEqual(['DATA', 250]);
        expect((await data.waitForMessages(before + 1))[before]?.body).toEqual(
          crlfNormalised(body),
        );
      });
    }
  }
});
