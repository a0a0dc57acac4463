import { StarshardError } from '@starshard/core';

/**
 * The `eviction` option is not a configuration the map can honour: an unknown policy, a bound of
 * 0, a negative or non-finite TTL, an LRU/LFU policy without a bound, a misspelt field. Thrown by
 * the constructor, before the map is used; `option` names the field at fault.
 *
 * @example
 * try { new Cache(64, { eviction: { policy: 'lru', maxEntries: 0 } }) }
 * catch (e) { if (e instanceof EvictionConfigError) console.log(e.option) } // 'eviction.maxEntries'
 */
export class EvictionConfigError extends StarshardError {
  /** The option at fault, e.g. `'eviction.ttlMs'`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_STARSHARD_EVICTION_CONFIG', message);
    this.option = option;
  }
}
