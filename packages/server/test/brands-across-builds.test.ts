// The packages the server depends on ship an ESM build (dist/index.js) and a CommonJS build
// (dist/index.cjs); a process that loads both has two copies of every class. Each error made by
// one build is recognised by the other build's guard (a Symbol.for brand), in both directions.
import { createRequire } from 'node:module';
import * as addressEsm from '@smtpkit/address';
import * as extensionsEsm from '@smtpkit/extensions';
import * as replyEsm from '@smtpkit/reply';
import * as saslEsm from '@smtpkit/sasl';
import * as wireEsm from '@smtpkit/wire';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const reply = require('@smtpkit/reply') as typeof replyEsm;
const address = require('@smtpkit/address') as typeof addressEsm;
const wire = require('@smtpkit/wire') as typeof wireEsm;
const extensions = require('@smtpkit/extensions') as typeof extensionsEsm;
const sasl = require('@smtpkit/sasl') as typeof saslEsm;

interface Case {
  readonly name: string;
  readonly cjs: unknown;
  readonly esm: unknown;
  readonly cjsClass: unknown;
  readonly esmClass: unknown;
  readonly cjsGuard: (value: unknown) => boolean;
  readonly esmGuard: (value: unknown) => boolean;
}

const cases: readonly Case[] = [
  {
    name: 'ReplyException',
    cjs: new reply.ReplyException(reply.replies.R550_5_1_1_NoSuchUser),
    esm: new replyEsm.ReplyException(replyEsm.replies.R550_5_1_1_NoSuchUser),
    cjsClass: reply.ReplyException,
    esmClass: replyEsm.ReplyException,
    cjsGuard: reply.isReplyException,
    esmGuard: replyEsm.isReplyException,
  },
  {
    name: 'ReplyError',
    cjs: new reply.ReplyError('ERR_REPLY_MISUSE_CODE', 'x'),
    esm: new replyEsm.ReplyError('ERR_REPLY_MISUSE_CODE', 'x'),
    cjsClass: reply.ReplyError,
    esmClass: replyEsm.ReplyError,
    cjsGuard: reply.isReplyError,
    esmGuard: replyEsm.isReplyError,
  },
  {
    name: 'AddressError',
    cjs: new address.AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'x'),
    esm: new addressEsm.AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'x'),
    cjsClass: address.AddressError,
    esmClass: addressEsm.AddressError,
    cjsGuard: address.isAddressError,
    esmGuard: addressEsm.isAddressError,
  },
  {
    name: 'WireError',
    cjs: new wire.WireError('ERR_WIRE_COMMAND_SYNTAX', 'x'),
    esm: new wireEsm.WireError('ERR_WIRE_COMMAND_SYNTAX', 'x'),
    cjsClass: wire.WireError,
    esmClass: wireEsm.WireError,
    cjsGuard: wire.isWireError,
    esmGuard: wireEsm.isWireError,
  },
  {
    name: 'ExtensionError',
    cjs: new extensions.ExtensionError('ERR_EXTENSION_MISUSE_OPTION', 'x'),
    esm: new extensionsEsm.ExtensionError('ERR_EXTENSION_MISUSE_OPTION', 'x'),
    cjsClass: extensions.ExtensionError,
    esmClass: extensionsEsm.ExtensionError,
    cjsGuard: extensions.isExtensionError,
    esmGuard: extensionsEsm.isExtensionError,
  },
  {
    name: 'ClientRefusal',
    cjs: new extensions.ClientRefusal('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT', 'SIZE', 'x', true),
    esm: new extensionsEsm.ClientRefusal('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT', 'SIZE', 'x', true),
    cjsClass: extensions.ClientRefusal,
    esmClass: extensionsEsm.ClientRefusal,
    cjsGuard: extensions.isClientRefusal,
    esmGuard: extensionsEsm.isClientRefusal,
  },
  {
    name: 'SaslError',
    cjs: new sasl.SaslError('ERR_SASL_MISUSE_STATE', 'x'),
    esm: new saslEsm.SaslError('ERR_SASL_MISUSE_STATE', 'x'),
    cjsClass: sasl.SaslError,
    esmClass: saslEsm.SaslError,
    cjsGuard: sasl.isSaslError,
    esmGuard: saslEsm.isSaslError,
  },
];

describe('brands across the ESM and CommonJS builds', () => {
  it.each(cases)('$name: two classes, and each build recognises the other’s errors', (c) => {
    expect(c.cjsClass).not.toBe(c.esmClass);
    expect(c.cjs instanceof (c.esmClass as typeof Error)).toBe(false);
    expect(c.esmGuard(c.cjs)).toBe(true);
    expect(c.cjsGuard(c.esm)).toBe(true);
  });
});
