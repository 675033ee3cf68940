import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Real CRLF before the dot, bare LF after it.
describe('SMTP smuggling: \\r\\n.\\n', () => smugglingCase('\r\n.\n', kit));
