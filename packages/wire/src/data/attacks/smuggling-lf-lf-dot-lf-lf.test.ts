import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Doubled bare LFs around the dot.
describe('SMTP smuggling: \\n\\n.\\n\\n', () => smugglingCase('\n\n.\n\n', kit));
