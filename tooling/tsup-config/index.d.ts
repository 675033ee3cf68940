import type { Options } from 'tsup';
export declare const base: Options;
export declare const app: Options;
