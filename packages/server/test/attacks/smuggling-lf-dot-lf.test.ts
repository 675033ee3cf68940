// SMTP smuggling variant <LF>.<LF>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<LF>.<LF>', '\n.\n');
