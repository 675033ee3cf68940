export { type AuthTransport, authTransportRefusal } from './auth-transport-policy.js';
export { decodeBase64Strict, encodeBase64, utf8DecodeStrict, utf8Encode } from './base64.js';
export { type CramMd5ClientOptions, createCramMd5Client } from './client/cram-md5-client.js';
export { createLoginClient, type LoginClientOptions } from './client/login-client.js';
export { createPlainClient, type PlainClientOptions } from './client/plain-client.js';
export type { SaslClientMechanism } from './client/sasl-client-mechanism.js';
export {
  createScramSha256Client,
  type ScramClientMechanism,
  type ScramClientOptions,
} from './client/scram-sha-256-client.js';
export {
  createXoauth2Client,
  type Xoauth2ClientMechanism,
  type Xoauth2ClientOptions,
} from './client/xoauth2-client.js';
export {
  type CramMd5ChallengeOptions,
  type CramMd5Options,
  cramMd5Digest,
  createCramMd5Challenge,
  createCramMd5Mechanism,
  verifyCramMd5,
} from './cram-md5-mechanism.js';
export {
  createLoginMechanism,
  LOGIN_PASSWORD_CHALLENGE,
  LOGIN_USERNAME_CHALLENGE,
} from './login-mechanism.js';
export { createPlainMechanism, type PlainMessage, parsePlainMessage } from './plain-mechanism.js';
export {
  createCredentials,
  REDACTED,
  redactAuthLine,
  redactCredentials,
  type SaslCredentialFields,
  type SaslCredentials,
  type ScramProofResult,
} from './sasl-credentials.js';
export type { SaslCrypto } from './sasl-crypto.js';
export { isSaslError, SaslError, type SaslErrorCode } from './sasl-error.js';
export {
  type ClientResponse,
  readClientResponse,
  responseFailure,
  SASL_MAX_RESPONSE_LENGTH,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  type ScramStoredSecrets,
} from './sasl-mechanism.js';
export { saslChallengeReply, saslReplies } from './sasl-replies.js';
export { saslPrep } from './saslprep.js';
export { decodeSaslname, encodeSaslname } from './scram-attributes.js';
export { SCRAM_MIN_ITERATIONS, scramCredentials } from './scram-credentials.js';
export { createScramSha256Mechanism, type ScramServerOptions } from './scram-sha-256-mechanism.js';
export {
  createServerMechanism,
  SERVER_SASL_MECHANISMS,
  type ServerMechanismOptions,
  type ServerSaslMechanismName,
} from './server-mechanisms.js';
export {
  createXoauth2Mechanism,
  DEFAULT_XOAUTH2_ERROR,
  parseXoauth2Message,
  type Xoauth2Message,
} from './xoauth2-mechanism.js';
