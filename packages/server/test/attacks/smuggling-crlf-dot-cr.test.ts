// SMTP smuggling variant <CR><LF>.<CR>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<CR><LF>.<CR>', '\r\n.\r');
