import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare LF before the dot, real CRLF after it.
describe('SMTP smuggling: \\n.\\r\\n', () => smugglingCase('\n.\r\n', kit));
