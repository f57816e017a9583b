import { relative } from 'node:path';
import type { Ignore } from 'ignore';
import type { AiSecureConfig } from './config.js';
import { lazyRequire } from '../core/lazy-require.js';
import { optionKey, type StepOption } from '../step/contract.js';

// The option values a run uses, from three layers under the command line: the config's overrides
// for a file, the config's top level, the options' defaults. Kept apart from config.ts, which
// reads and validates the file against the option definitions its caller passes in.

const ignore = lazyRequire<typeof import('ignore')>('ignore');

/** Whether the config excludes a file (absolute): `exclude` patterns, relative to the config's folder. */
export function excludes(config: AiSecureConfig | undefined): (file: string) => boolean {
  if (!config?.exclude?.length || !config.dir) return () => false;
  const rules = ignore()().add(config.exclude);
  const dir = config.dir;
  return (file) => {
    const path = relative(dir, file).split('\\').join('/');
    return Boolean(path) && !path.startsWith('..') && rules.ignores(path);
  };
}

/** Every option value a run uses: the whole run's, and one file's. */
export interface OptionResolver {
  /** `given` with each option's effective value: the command line's, else the config's, else the default. */
  top: Record<string, unknown>;
  /**
   * One file's values: as `top`, with the overrides matching it between the command line and the config; `skipReason`
   * is the reason an override gives to leave the file alone.
   */
  forFile(file: string): Record<string, unknown>;
  /** The first bad value once the layers are merged (a flag beside a config value), or undefined. */
  check(): string | undefined;
}

/**
 * Precedence, option by option: a value on the command line (`given`, camelCase or kebab-case
 * keys) > the last override matching the file > the config's top level > the option's default.
 */
export function optionResolver(
  defs: StepOption[],
  given: Record<string, unknown>,
  config: AiSecureConfig | undefined,
): OptionResolver {
  const options = [...new Map(defs.map((o) => [o.name, o])).values()];
  const flag = (o: StepOption) => given[optionKey(o.name)] ?? given[o.name];
  const merge = (layers: Record<string, unknown>[]) => {
    // `skipReason` comes from an override only (`all --skip` is a different thing).
    const { skipReason: _, ...values }: Record<string, unknown> = given;
    for (const o of options)
      values[optionKey(o.name)] =
        flag(o) ?? layers.reduce<unknown>((found, layer) => found ?? layer[optionKey(o.name)], undefined) ?? o.default;
    return values;
  };
  const top = merge([config?.options ?? {}]);
  const overrides = (config?.overrides ?? []).map((o) => ({ ...o, rules: ignore()().add(o.paths) as Ignore }));
  const cache = new Map<string, Record<string, unknown>>();
  return {
    top,
    forFile(file) {
      const path = config?.dir ? relative(config.dir, file).split('\\').join('/') : '';
      if (!path || path.startsWith('..')) return top;
      let values = cache.get(path);
      if (!values) {
        const matching = overrides.filter((o) => o.rules.ignores(path)).map((o) => o.options);
        const own = Object.assign({}, ...matching) as Record<string, unknown>;
        values = matching.length ? merge([own, config?.options ?? {}]) : top;
        if (typeof own.skip === 'string') values = { ...values, skipReason: own.skip };
        cache.set(path, values);
      }
      return values;
    },
    check() {
      const source = config?.source ?? 'the config';
      // The whole run's values, then each override's as it would apply (a flag still wins).
      const layers: [string, Record<string, unknown>[]][] = [
        ['', [config?.options ?? {}]],
        ...overrides.map((o, i): [string, Record<string, unknown>[]] => [
          `${source}: overrides[${i}]: `,
          [o.options, config?.options ?? {}],
        ]),
      ];
      for (const [where, list] of layers) {
        const values = merge(list);
        for (const o of options) {
          const problem = o.validate?.(values[optionKey(o.name)], values);
          if (!problem) continue;
          const fromConfig = flag(o) === undefined && list.some((layer) => layer[optionKey(o.name)] !== undefined);
          return where + problem + (fromConfig && !where ? ` (--${o.name} as ${source} sets it)` : '');
        }
      }
      return undefined;
    },
  };
}
