import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare LF before the dot, real CRLF after it.
describe('SMTP smuggling: \\n.\\r\\n', () => smugglingCase('\n.\r\n'));
