import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';

/** @internal `RebalanceOptions`, checked, with the defaults filled in. */
export interface ResolvedRebalanceOptions {
  readonly background: boolean;
  readonly batchSize: number;
  readonly maxPauseNs: number;
  readonly signal: AbortSignal | undefined;
}

/** Entries moved per background step unless `batchSize` says otherwise. */
const DEFAULT_BATCH_SIZE = 1024;

/**
 * @internal Checks `rebalanceTo`'s options (`InvalidArgumentError` for anything malformed,
 * before the map is touched) and fills in the defaults: 1024 entries per step, no time bound.
 */
export function readRebalanceOptions(options: unknown, method: string): ResolvedRebalanceOptions {
  if (options === undefined) {
    return {
      background: false,
      batchSize: DEFAULT_BATCH_SIZE,
      maxPauseNs: Number.POSITIVE_INFINITY,
      signal: undefined,
    };
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      `${method}: options must be an object { background?, batchSize?, maxPauseNs?, signal? }, got ${describe(options)}; the map is unchanged`,
    );
  }
  const { background, batchSize, maxPauseNs, signal } = options as Record<string, unknown>;
  if (background !== undefined && typeof background !== 'boolean') {
    throw new InvalidArgumentError(`${method}: options.background must be a boolean, got ${describe(background)}`);
  }
  if (
    batchSize !== undefined &&
    !(typeof batchSize === 'number' && batchSize >= 1 && (Number.isSafeInteger(batchSize) || batchSize === Infinity))
  ) {
    throw new InvalidArgumentError(
      `${method}: options.batchSize must be a positive integer (entries moved per step, default ${DEFAULT_BATCH_SIZE}), got ${describe(batchSize)}`,
    );
  }
  if (maxPauseNs !== undefined && !(typeof maxPauseNs === 'number' && maxPauseNs > 0)) {
    throw new InvalidArgumentError(
      `${method}: options.maxPauseNs must be a positive number of nanoseconds (e.g. 2e6 for 2 ms), got ${describe(maxPauseNs)}`,
    );
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new InvalidArgumentError(
      `${method}: options.signal must be an AbortSignal (e.g. new AbortController().signal), got ${describe(signal)}`,
    );
  }
  return {
    background: background === true,
    batchSize: (batchSize as number | undefined) ?? DEFAULT_BATCH_SIZE,
    maxPauseNs: (maxPauseNs as number | undefined) ?? Number.POSITIVE_INFINITY,
    signal: signal as AbortSignal | undefined,
  };
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal === 'function' && value instanceof AbortSignal) return true;
  const candidate = value as { aborted?: unknown; addEventListener?: unknown; throwIfAborted?: unknown } | null;
  return (
    typeof value === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.throwIfAborted === 'function'
  );
}
