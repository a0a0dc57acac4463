// The plain model both property tests (sync and async) check the plugin against: random
// operation sequences, what the map should hold, and how often each key was written.
import fc from 'fast-check';

export type Op =
  | { op: 'insert' | 'set' | 'computeIfAbsent'; key: number; value: number }
  | { op: 'remove' | 'delete'; key: number }
  | { op: 'computeIfPresent'; key: number; value: number | undefined }
  | { op: 'batchInsert'; entries: [number, number][] }
  | { op: 'batchRemove'; keys: number[] }
  | { op: 'retain'; modulo: number }
  | { op: 'throwing'; key: number }
  | { op: 'clear' | 'resetTouches' };

/** The keys the operations use: 0 to `MAX_KEY`. */
export const MAX_KEY = 9;

const key = fc.integer({ min: 0, max: MAX_KEY });
const value = fc.integer({ min: 0, max: 5 });
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('insert', 'set', 'computeIfAbsent'), key, value }),
  fc.record({ op: fc.constantFrom('remove', 'delete'), key }),
  fc.record({ op: fc.constant('computeIfPresent'), key, value: fc.option(value, { nil: undefined }) }),
  fc.record({ op: fc.constant('batchInsert'), entries: fc.array(fc.tuple(key, value), { maxLength: 5 }) }),
  fc.record({ op: fc.constant('batchRemove'), keys: fc.array(key, { maxLength: 5 }) }),
  fc.record({ op: fc.constant('retain'), modulo: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('throwing'), key }),
  fc.record({ op: fc.constantFrom('clear', 'resetTouches') }),
);

/** What the map should hold and how often each key was written, computed the plain way. */
export class Model {
  readonly contents = new Map<number, number>();
  readonly touches = new Map<number, number>();
  keyTouches = 0;
  total = 0;

  private touch(k: number): void {
    this.touches.set(k, (this.touches.get(k) ?? 0) + 1);
    this.keyTouches++;
    this.total++;
  }
  private insert(k: number, v: number): void {
    this.contents.set(k, v);
    this.touch(k);
  }
  private remove(k: number): void {
    if (this.contents.delete(k)) this.touch(k);
  }
  /**
   * Applies `o`. `mapOrder` is the map's key order just before `o` (its iteration order, which
   * depends on the hash seed): `retain` removes in that order, and the order keys are first
   * touched in decides `hottestKeys` ties.
   */
  apply(o: Op, mapOrder: readonly number[]): void {
    switch (o.op) {
      case 'insert':
      case 'set':
        this.insert(o.key, o.value);
        return;
      case 'computeIfAbsent':
        if (!this.contents.has(o.key)) this.insert(o.key, o.value);
        return;
      case 'computeIfPresent':
        if (!this.contents.has(o.key)) return;
        if (o.value === undefined) this.remove(o.key);
        else this.insert(o.key, o.value);
        return;
      case 'remove':
      case 'delete':
        this.remove(o.key);
        return;
      case 'batchInsert':
        for (const [k, v] of o.entries) this.insert(k, v);
        return;
      case 'batchRemove':
        for (const k of o.keys) this.remove(k);
        return;
      case 'retain':
        for (const k of mapOrder) if (this.contents.get(k)! % o.modulo !== 0) this.remove(k);
        return;
      case 'throwing':
        return;
      case 'clear':
        this.contents.clear();
        this.total++;
        return;
      case 'resetTouches':
        this.touches.clear();
        this.keyTouches = 0;
        this.total = 0;
        return;
    }
  }

  /** `hottestKeys` of the model: counts descending, ties in first-touched order. */
  hottest(): [number, number][] {
    return [...this.touches].sort((a, b) => b[1] - a[1]);
  }
}

/** A callback that fails, for the `throwing` operation. */
export const fail = (): never => {
  throw new Error('callback failed');
};
