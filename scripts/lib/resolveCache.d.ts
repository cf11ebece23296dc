/** See resolveCache.js: serves module resolutions into node_modules from a per-checkout cache file. */
export function enableResolveCache(rootUrl: URL): void;
