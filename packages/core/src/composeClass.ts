import { describe, InvalidArgumentError, PluginConflictError, PluginDependencyError } from './errors.js';
import { type AnyPlugin, type MapKind, pluginId } from './plugin.js';

type AnyClass = abstract new (...args: any[]) => object;
type ComposedMeta = { root: AnyClass; plugins: readonly AnyPlugin[] };

/** Composed class → its root class and plugins; lets `.with` on a composed class add to its set. */
const metaOf = new WeakMap<AnyClass, ComposedMeta>();
/** Root class → (canonical plugin-id key → composed class): one class per plugin set. */
const cache = new WeakMap<AnyClass, Map<string, AnyClass>>();

/** Statics every class has, never a plugin's own. */
const BUILTIN_STATICS = new Set(['length', 'name', 'prototype', 'plugins']);

/**
 * Builds (or returns from the cache) the subclass of `target`'s root class composed with
 * `target`'s plugins and `added`, applying each plugin's `kind` facet in a canonical order
 * (required plugins first, then by name), so any order of the same set gives the same class.
 * Used by `ShardedHashMap.with` and by other map kinds' `with` (`AsyncShardedHashMap`).
 * Every check happens here, before any instance exists: unknown values, name clashes, missing
 * requirements or facets, and two plugins adding the same member.
 *
 * @example
 * class MyMap extends ShardedHashMap<string, number> {
 *   static override with(...plugins) { return composeClass(this, 'sync', plugins); }
 * }
 */
export function composeClass(target: AnyClass, kind: MapKind, added: readonly unknown[]): AnyClass {
  const meta = metaOf.get(target);
  const root = meta?.root ?? target;
  const plugins = unique([...(meta?.plugins ?? []), ...added]);
  if (plugins.length === 0) return root;

  const ordered = canonicalOrder(plugins, kind);
  const key = ordered.map((p) => pluginId(p)).join(',');
  let perRoot = cache.get(root);
  if (perRoot === undefined) {
    perRoot = new Map();
    cache.set(root, perRoot);
  }
  const cached = perRoot.get(key);
  if (cached !== undefined) return cached;

  const composed = applyFacets(root, kind, ordered);
  Object.defineProperty(composed, 'plugins', { value: Object.freeze([...ordered]), enumerable: true });
  Object.defineProperty(composed, 'name', { value: `${root.name}.with(${ordered.map((p) => p.name).join(', ')})` });
  metaOf.set(composed, { root, plugins: ordered });
  perRoot.set(key, composed);
  return composed;
}

/** Checks each value is a plugin and drops repeats of the same plugin; two plugins sharing a name conflict. */
function unique(values: readonly unknown[]): AnyPlugin[] {
  const byName = new Map<string, AnyPlugin>();
  for (const value of values) {
    if (pluginId(value) === undefined) {
      throw new InvalidArgumentError(
        `.with() takes plugins made by definePlugin(), got ${describe(value)}: import the plugin value, e.g. { snapshot } from '@starshard/snapshot'`,
      );
    }
    const plugin = value as AnyPlugin;
    const seen = byName.get(plugin.name);
    if (seen === undefined) byName.set(plugin.name, plugin);
    else if (seen !== plugin) {
      throw new PluginConflictError(
        'name',
        [plugin.name, plugin.name],
        `two different plugins are both named "${plugin.name}": give one of them another name, or compose only one`,
      );
    }
  }
  return [...byName.values()];
}

/** Required plugins before those that require them; otherwise by name. Checks requirements and facets. */
function canonicalOrder(plugins: readonly AnyPlugin[], kind: MapKind): AnyPlugin[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  for (const p of plugins) {
    if (typeof p[kind] !== 'function') {
      throw new PluginDependencyError(
        p.name,
        kind,
        `plugin "${p.name}" has no ${kind} facet, so it cannot be composed onto a ${kind} map: ` +
          `use it with the map kind it supports (${facetKinds(p).join(', ') || 'none'})`,
      );
    }
    for (const required of p.requires) {
      if (!byName.has(required)) {
        throw new PluginDependencyError(
          p.name,
          required,
          `plugin "${p.name}" requires plugin "${required}": add it to the same .with(...) call`,
        );
      }
    }
  }
  const ordered: AnyPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: AnyPlugin, path: readonly string[]) => {
    const s = state.get(p.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      throw new PluginDependencyError(
        p.name,
        p.name,
        `plugins require each other in a cycle (${[...path, p.name].join(' → ')}): break the cycle`,
      );
    }
    state.set(p.name, 'visiting');
    for (const r of [...p.requires].sort()) visit(byName.get(r)!, [...path, p.name]);
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of [...plugins].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(p, []);
  return ordered;
}

function facetKinds(p: AnyPlugin): string[] {
  return Object.keys(p).filter((k) => k !== 'name' && k !== 'requires');
}

/** Applies the facets in order, checking that no two plugins add the same member. */
function applyFacets(root: AnyClass, kind: MapKind, ordered: readonly AnyPlugin[]): AnyClass {
  const members = new Map<PropertyKey, string>(); // prototype member → plugin that defined it
  const statics = new Map<PropertyKey, string>(); // static → plugin that defined it
  const fields = instanceFields(root);
  const dependsOn = (plugin: AnyPlugin, other: string): boolean =>
    plugin.requires.includes(other) || plugin.requires.some((r) => dependsOnByName(ordered, r, other));
  let current = root;
  for (const plugin of ordered) {
    const facet = plugin[kind] as unknown as (base: AnyClass) => AnyClass;
    const next = facet(current);
    if (typeof next !== 'function' || (next !== current && !(next.prototype instanceof current))) {
      throw new InvalidArgumentError(
        `plugin "${plugin.name}": its ${kind} facet must return a class that extends the class it was given: (Base) => class extends Base { ... }`,
      );
    }
    if (next === current) continue;
    const added = Reflect.ownKeys(next.prototype).filter((k) => k !== 'constructor');
    for (const key of added) {
      if (fields.has(key)) {
        throw new PluginConflictError(
          String(key),
          [root.name, plugin.name],
          `plugin "${plugin.name}" defines "${String(key)}", a field of every ${root.name} instance that would hide it: rename it in the plugin`,
        );
      }
    }
    claim(added, root.prototype, plugin, members, dependsOn);
    claim(
      Reflect.ownKeys(next).filter((k) => typeof k !== 'string' || !BUILTIN_STATICS.has(k)),
      root,
      plugin,
      statics,
      dependsOn,
    );
    current = next;
  }
  return current;
}

/** Root class → the own keys of its instances (the core's fields), found once from a probe instance. */
const fieldsOf = new WeakMap<AnyClass, ReadonlySet<PropertyKey>>();

function instanceFields(root: AnyClass): ReadonlySet<PropertyKey> {
  let fields = fieldsOf.get(root);
  if (fields === undefined) {
    let probe: object | undefined;
    try {
      probe = Reflect.construct(root, [1]) as object;
    } catch {
      probe = undefined; // a root that needs arguments: its fields go unchecked
    }
    fields = new Set(probe === undefined ? [] : Reflect.ownKeys(probe));
    fieldsOf.set(root, fields);
  }
  return fields;
}

function dependsOnByName(ordered: readonly AnyPlugin[], name: string, other: string): boolean {
  const p = ordered.find((q) => q.name === name);
  return p !== undefined && (p.requires.includes(other) || p.requires.some((r) => dependsOnByName(ordered, r, other)));
}

/**
 * Records which plugin defines each new member (by its key, so distinct symbols never clash).
 * Overriding a member of the root class is allowed (plugins chain through `super`), and so is
 * overriding a member of a plugin this one requires; the member stays owned by the plugin that
 * defined it, so several plugins requiring it may all override it.
 */
function claim(
  keys: readonly PropertyKey[],
  rootHolder: object,
  plugin: AnyPlugin,
  owners: Map<PropertyKey, string>,
  dependsOn: (plugin: AnyPlugin, other: string) => boolean,
): void {
  for (const key of keys) {
    if (key in rootHolder) continue;
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, plugin.name);
    else if (!dependsOn(plugin, owner)) throw new PluginConflictError(String(key), [owner, plugin.name]);
  }
}
