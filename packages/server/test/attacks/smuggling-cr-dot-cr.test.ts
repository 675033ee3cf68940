// SMTP smuggling variant <CR>.<CR>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<CR>.<CR>', '\r.\r');
