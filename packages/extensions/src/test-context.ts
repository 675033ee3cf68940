// Test helper (not exported): a session context with defaults, overridden per test.
import type { SessionContext } from './session-context.js';

export function sessionContext(overrides: Partial<SessionContext> = {}): SessionContext {
  return {
    phase: 'greeted',
    greeting: 'ehlo',
    lmtp: false,
    tls: false,
    authenticated: false,
    limits: { commandLine: 512 },
    mailParams: undefined,
    recipients: 0,
    peerAddress: undefined,
    ...overrides,
  };
}
