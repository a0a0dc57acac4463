import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';

/** @internal `AutoExpandOptions`, checked, with the defaults filled in. */
export interface ResolvedAutoExpand {
  readonly maxLoadPerShard: number;
  readonly factor: number;
  readonly entriesPerWrite: number;
}

/**
 * @internal Reads option `autoExpand` of a map's constructor options: `undefined` when off;
 * `InvalidArgumentError` (no map is made) when malformed. Defaults: factor 2, 64 entries per write.
 */
export function readAutoExpand(options: unknown): ResolvedAutoExpand | undefined {
  const autoExpand = (options as { autoExpand?: unknown } | undefined)?.autoExpand;
  if (autoExpand === undefined) return undefined;
  if (typeof autoExpand !== 'object' || autoExpand === null) {
    throw new InvalidArgumentError(
      `options.autoExpand must be an object { maxLoadPerShard, factor?, entriesPerWrite? }, got ${describe(autoExpand)}`,
    );
  }
  const { maxLoadPerShard, factor, entriesPerWrite } = autoExpand as Record<string, unknown>;
  if (typeof maxLoadPerShard !== 'number' || !(maxLoadPerShard > 0) || maxLoadPerShard === Infinity) {
    throw new InvalidArgumentError(
      `options.autoExpand.maxLoadPerShard must be a positive number (entries a shard may hold before the map grows), got ${describe(maxLoadPerShard)}`,
    );
  }
  if (factor !== undefined && !(typeof factor === 'number' && factor > 1 && Number.isFinite(factor))) {
    throw new InvalidArgumentError(
      `options.autoExpand.factor must be a finite number above 1 (how much the shard count grows, default 2), got ${describe(factor)}`,
    );
  }
  if (
    entriesPerWrite !== undefined &&
    !(typeof entriesPerWrite === 'number' && Number.isSafeInteger(entriesPerWrite) && entriesPerWrite >= 1)
  ) {
    throw new InvalidArgumentError(
      `options.autoExpand.entriesPerWrite must be a positive integer (entries each write moves while expanding, default 64), got ${describe(entriesPerWrite)}`,
    );
  }
  return {
    maxLoadPerShard,
    factor: (factor as number | undefined) ?? 2,
    entriesPerWrite: (entriesPerWrite as number | undefined) ?? 64,
  };
}
