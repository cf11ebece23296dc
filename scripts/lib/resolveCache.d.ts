/** See resolveCache.js: serves module resolutions into node_modules from a per-checkout cache file (one per `name`, default "cli"). */
export function enableResolveCache(rootUrl: URL, name?: string): void;
