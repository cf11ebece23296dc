/** See startCaches.js: SWITCHBOARD_START_CACHES=off (or 0, false, no) turns the CLI's start-up caches off. */
export function startCachesOff(): boolean;
/** See startCaches.js: the folder of the CLI's start-up caches. */
export function startCacheDir(): string;
/** See startCaches.js: FNV-1a of a string, in hex. */
export function fnv(text: string): string;
