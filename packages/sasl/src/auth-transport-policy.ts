import type { Reply } from '@smtpkit/reply';
import { saslReplies } from './sasl-replies.js';

/** What {@link authTransportRefusal} looks at. */
export interface AuthTransport {
  /** The connection is under TLS (implicit TLS or after STARTTLS). */
  readonly secure: boolean;
  /** The explicit option that lets AUTH run in clear text (off by default, DESIGN.md). */
  readonly allowInsecureAuth?: boolean;
}

/*
 * RFC 4954 §6: "538 5.7.11 Encryption required for requested authentication mechanism: This
 * response to the AUTH command indicates that the selected authentication mechanism may only be
 * used when the underlying SMTP connection is encrypted." RFC 4616 §5 and the LOGIN draft send
 * the password in clear, so this package refuses every mechanism without TLS unless told
 * otherwise.
 */
/**
 * The reply refusing AUTH on this transport, or `undefined` when AUTH may go ahead.
 *
 * @example
 * ```ts
 * authTransportRefusal({ secure: false }); // saslReplies.R538_5_7_11_EncryptionRequired
 * authTransportRefusal({ secure: true });  // undefined
 * ```
 */
export function authTransportRefusal(transport: AuthTransport): Reply | undefined {
  if (transport.secure || transport.allowInsecureAuth === true) return undefined;
  return saslReplies.R538_5_7_11_EncryptionRequired;
}
