import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Real CRLF before the dot, bare CR after it.
describe('SMTP smuggling: \\r\\n.\\r', () => smugglingCase('\r\n.\r', kit));
