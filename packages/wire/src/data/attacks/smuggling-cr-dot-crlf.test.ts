import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare CR before the dot, real CRLF after it.
describe('SMTP smuggling: \\r.\\r\\n', () => smugglingCase('\r.\r\n', kit));
