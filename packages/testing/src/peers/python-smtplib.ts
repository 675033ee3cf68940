import { peerSkipReason } from '../peers.js';
import type { PeerAuth, PeerSendOptions } from './peer-send-options.js';
import { type ProcessResult, runProcess } from './run-process.js';

/** The Python interpreter the peers use: Debian's, which has aiosmtpd installed. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Options of {@link runSmtplib}: `data` is sent with `sendmail` exactly as given. */
export interface SmtplibOptions extends PeerSendOptions {
  /** `smtplib.LMTP` instead of `smtplib.SMTP` (RFC 2033, LHLO). */
  readonly lmtp?: boolean;
  /** `starttls()` with an unverified context (self-signed test certificates). */
  readonly starttls?: boolean;
  /** `mail_options=['SMTPUTF8']` (RFC 6531): needed for UTF-8 envelope addresses. */
  readonly smtputf8?: boolean;
  /** More MAIL parameters, e.g. `BODY=8BITMIME`. */
  readonly mailOptions?: readonly string[];
  /** `login(user, password)` after EHLO (and after STARTTLS when asked). */
  readonly auth?: Omit<PeerAuth, 'mechanism'>;
}

/** What smtplib reported. */
export interface SmtplibResult {
  /** `sendmail`'s refused-recipients dict: for LMTP, those whose per-recipient reply failed. */
  readonly refused: Readonly<Record<string, readonly [number, string]>>;
  /** LMTP only: the per-recipient replies after DATA, in recipient order (RFC 2033 §4.2). */
  readonly lmtpReplies: readonly (readonly [number, string])[];
  readonly process: ProcessResult;
}

/**
 * Why /usr/bin/python3 cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(smtplibSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function smtplibSkipReason(): string | undefined {
  return peerSkipReason(SYSTEM_PYTHON, ['--version']);
}

// The script reads a JSON job on stdin; the message travels as base64 so any byte survives.
const SCRIPT = `
import base64, json, smtplib, ssl, sys
job = json.load(sys.stdin)
cls = smtplib.LMTP if job['lmtp'] else smtplib.SMTP
with cls(job['host'], job['port'], timeout=job['timeout']) as c:
    c.ehlo()
    if job['starttls']:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c.starttls(context=ctx)
        c.ehlo()
    if job['auth']:
        c.login(job['auth']['user'], job['auth']['password'])
    msg = base64.b64decode(job['data'])
    lmtp_replies = []
    if job['lmtp']:
        # smtplib's sendmail reads one reply after DATA; LMTP sends one per accepted recipient
        # (RFC 2033 section 4.2), so the LMTP transaction is driven step by step here.
        code, text = c.mail(job['from'], job['mail_options'])
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, job['from'])
        refused = {}
        for r in job['to']:
            code, text = c.rcpt(r)
            if code not in (250, 251):
                refused[r] = (code, text)
        if len(refused) == len(job['to']):
            raise smtplib.SMTPRecipientsRefused(refused)
        code, text = c.data(msg)
        lmtp_replies.append((code, text))
        for _ in range(len(job['to']) - len(refused) - 1):
            lmtp_replies.append(c.getreply())
    else:
        refused = c.sendmail(job['from'], job['to'], msg, mail_options=job['mail_options'])
out = {k: [v[0], v[1].decode('utf-8', 'replace')] for k, v in refused.items()}
replies = [[code, text.decode('utf-8', 'replace')] for code, text in lmtp_replies]
sys.stdout.write(json.dumps({'refused': out, 'lmtp_replies': replies}))
`;

/**
 * Sends one message with Python's smtplib (`/usr/bin/python3 -c`), SMTP or LMTP, optionally with
 * STARTTLS, AUTH and SMTPUTF8. Rejects with a PeerError (ERR_PEER_EXIT carries Python's traceback).
 *
 * @example
 * ```ts
 * await runSmtplib({ port, from: 'ø@example.com', to: ['b@example.com'], smtputf8: true,
 *   data: 'Subject: hi\r\n\r\nbody\r\n' });
 * ```
 */
export async function runSmtplib(options: SmtplibOptions): Promise<SmtplibResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const job = {
    host: options.host ?? '127.0.0.1',
    port: options.port,
    from: options.from,
    to: options.to,
    data: Buffer.from(options.data).toString('base64'),
    lmtp: options.lmtp === true,
    starttls: options.starttls === true,
    auth: options.auth ?? null,
    mail_options: [
      ...(options.smtputf8 === true ? ['SMTPUTF8'] : []),
      ...(options.mailOptions ?? []),
    ],
    timeout: Math.max(1, timeoutMs / 1000),
  };
  const process = await runProcess(SYSTEM_PYTHON, ['-c', SCRIPT], {
    timeoutMs,
    input: JSON.stringify(job),
  });
  const parsed = JSON.parse(process.stdout) as {
    refused: SmtplibResult['refused'];
    lmtp_replies: SmtplibResult['lmtpReplies'];
  };
  return { refused: parsed.refused, lmtpReplies: parsed.lmtp_replies, process };
}
