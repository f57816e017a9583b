import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checklistOf, CHECKLIST } from '../core/checklist.js';
import { optionKey, type StepOption } from '../step/contract.js';

// The project's own settings: `ai-secure.config.json` at the project root, or an `"aiSecure"`
// key in its package.json. Validated strictly, with messages that say what to write instead:
// a typo in a config that silences findings must not silence them by accident.

export interface IgnoreEntry {
  /** A rule id (`ai-secure/cors`), its short form (`cors`), or a checklist item (`rate-limit`). */
  rule: string;
  /** gitignore-style patterns, relative to the project root; every file when absent. */
  paths?: string[];
  reason: string;
}

/** Option values for the files `paths` match (relative to the config's folder). */
export interface OverrideEntry {
  paths: string[];
  /** As the steps read them (`perMinute`, `scope`…); `skip` is the reason to leave the files alone, or false. */
  options: Record<string, unknown>;
}

export interface AiSecureConfig {
  ignore: IgnoreEntry[];
  /**
   * The command-line options the config sets for the whole project, as the steps read them
   * (`perMinute`, `origins: "a,b"`…).
   */
  options?: Record<string, unknown>;
  /** gitignore-style patterns, relative to `dir`: files no step reads, changes or reports. */
  exclude?: string[];
  /** Per-path options: the last override matching a file wins, key by key. */
  overrides?: OverrideEntry[];
  /** The folder the config file sits in: `paths` patterns are relative to it. */
  dir?: string;
  /** Where the config came from, for messages (`ai-secure.config.json`). */
  source?: string;
}

export class ConfigError extends Error {}

export const CONFIG_FILE = 'ai-secure.config.json';
const KNOWN_KEYS = ['$schema', 'ignore', 'limits', 'store', 'scope', 'origins', 'exclude', 'overrides'];
const OVERRIDE_KEYS = ['paths', 'limits', 'scope', 'skip', 'reason'];

/** The config keys that set a command-line option, and the option each sets. */
const OPTION_OF: Record<string, string> = {
  'limits.perMinute': 'per-minute',
  'limits.perDay': 'per-day',
  store: 'store',
  scope: 'scope',
  origins: 'origins',
};

/**
 * The config that applies to a folder: the nearest `ai-secure.config.json` (or package.json with
 * `"aiSecure"`) from the folder up to `top` (the repository root), and the file it came from.
 */
export function loadConfig(dir: string, top: string, defs: StepOption[]): { config: AiSecureConfig; file?: string } {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const own = join(at, CONFIG_FILE);
    if (existsSync(own))
      return { config: { ...validate(parse(own), CONFIG_FILE, defs), dir: at, source: CONFIG_FILE }, file: own };
    const pkg = join(at, 'package.json');
    const value = existsSync(pkg) ? (parse(pkg) as Record<string, unknown> | undefined)?.aiSecure : undefined;
    if (value !== undefined)
      return {
        config: { ...validate(value, 'package.json "aiSecure"', defs), dir: at, source: 'package.json "aiSecure"' },
        file: pkg,
      };
    if (at === resolve(top) || dirname(at) === at) return { config: { ignore: [] } };
  }
}

function parse(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The rule names a config may use. */
function knownRule(rule: string): boolean {
  const full = rule.startsWith('ai-secure/') ? rule : `ai-secure/${rule}`;
  return CHECKLIST.some((item) => item.id === rule) || checklistOf(full) !== undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const unknownKeys = (at: string, value: Record<string, unknown>, known: string[]) => {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length)
    throw new ConfigError(
      `${at}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.filter((k) => k !== '$schema').join(', ')})`,
    );
};

/** Checks a config object; `defs` are the options of the steps it may set (the registry's), passed in. */
export function validate(value: unknown, where: string, defs: StepOption[]): AiSecureConfig {
  if (!isObject(value)) throw new ConfigError(`${where} must be an object`);
  unknownKeys(where, value, KNOWN_KEYS);
  const raw = value.ignore ?? [];
  if (!Array.isArray(raw)) throw new ConfigError(`${where}: "ignore" must be a list of { "rule", "paths"?, "reason" }`);
  const ignore = raw.map((entry, i): IgnoreEntry => {
    const at = `${where}: ignore[${i}]`;
    if (!entry || typeof entry !== 'object')
      throw new ConfigError(`${at} must be an object { "rule", "paths"?, "reason" }`);
    const { rule, paths, reason, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length)
      throw new ConfigError(
        `${at}: unknown key ${Object.keys(rest)
          .map((k) => `"${k}"`)
          .join(', ')} (known: rule, paths, reason)`,
      );
    if (typeof rule !== 'string' || !knownRule(rule)) {
      throw new ConfigError(
        `${at}: "rule" must name a rule or checklist item: ${CHECKLIST.map((c) => c.id).join(', ')}, or a rule id such as next-ratelimit (got ${JSON.stringify(rule)})`,
      );
    }
    if (typeof reason !== 'string' || !reason.trim())
      throw new ConfigError(`${at}: "reason" is required: say why this is safe to ignore`);
    const list = patterns(at, paths);
    return { rule, reason: reason.trim(), ...(list ? { paths: list } : {}) };
  });
  const options = optionValues(where, value, defs);
  const exclude = patterns(where, value.exclude, 'exclude');
  if (value.overrides !== undefined && !Array.isArray(value.overrides))
    throw new ConfigError(
      `${where}: "overrides" must be a list of { "paths", "limits"?, "scope"?, "skip"?, "reason"? }`,
    );
  const overrides = (value.overrides as unknown[] | undefined)?.map((entry, i) =>
    override(`${where}: overrides[${i}]`, entry, defs),
  );
  return {
    ignore,
    ...(Object.keys(options).length ? { options } : {}),
    ...(exclude ? { exclude } : {}),
    ...(overrides ? { overrides } : {}),
  };
}

/** `"paths"`-like values: a pattern or a list of patterns (gitignore syntax); undefined when absent. */
function patterns(at: string, value: unknown, key = 'paths'): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (list !== undefined && (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p)))
    throw new ConfigError(`${at}: "${key}" must be a pattern or a list of patterns (gitignore syntax)`);
  return list as string[] | undefined;
}

function override(at: string, entry: unknown, defs: StepOption[]): OverrideEntry {
  if (!isObject(entry))
    throw new ConfigError(`${at} must be an object { "paths", "limits"?, "scope"?, "skip"?, "reason"? }`);
  unknownKeys(at, entry, OVERRIDE_KEYS);
  const paths = patterns(at, entry.paths);
  if (!paths?.length)
    throw new ConfigError(`${at}: "paths" is required: the files it applies to, as gitignore-style patterns`);
  const options = optionValues(at, entry, defs);
  const { skip, reason } = entry;
  if (skip !== undefined && typeof skip !== 'boolean')
    throw new ConfigError(`${at}: "skip" must be true or false (got ${JSON.stringify(skip)})`);
  if (skip && (typeof reason !== 'string' || !reason.trim()))
    throw new ConfigError(`${at}: "skip": true needs a "reason": say why these endpoints are safe to leave alone`);
  if (!skip && reason !== undefined) throw new ConfigError(`${at}: "reason" goes with "skip": true`);
  if (skip !== undefined) options.skip = skip ? (reason as string).trim() : false;
  if (!Object.keys(options).length) throw new ConfigError(`${at} changes nothing: give "limits", "scope" or "skip"`);
  return { paths, options };
}

/**
 * The options a config object sets (`limits`, `store`, `scope`, `origins`), checked as the
 * command line checks them, with messages that name the config key instead of the flag.
 */
function optionValues(where: string, value: Record<string, unknown>, defs: StepOption[]): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  if (value.limits !== undefined) {
    if (!isObject(value.limits))
      throw new ConfigError(`${where}: "limits" must be an object such as { "perMinute": 5, "perDay": 50 }`);
    unknownKeys(`${where}: limits`, value.limits, ['perMinute', 'perDay']);
    for (const key of ['perMinute', 'perDay'])
      if (value.limits[key] !== undefined) found[`limits.${key}`] = value.limits[key];
  }
  for (const key of ['store', 'scope']) if (value[key] !== undefined) found[key] = value[key];
  if (value.origins !== undefined) {
    const list = value.origins;
    if (!Array.isArray(list) || !list.length || !list.every((o) => typeof o === 'string'))
      throw new ConfigError(`${where}: "origins" must be a list of origins such as ["https://app.example.com"]`);
    found.origins = list.join(',');
  }
  const options: Record<string, unknown> = {};
  for (const [key, given] of Object.entries(found)) options[optionKey(OPTION_OF[key]!)] = given;
  for (const [key, given] of Object.entries(found)) {
    const option = optionNamed(defs, OPTION_OF[key]!);
    const problem =
      option.type === 'number' && typeof given !== 'number'
        ? `"${key}" must be a number such as ${String(option.default)} (got ${JSON.stringify(given)})`
        : option.choices && !option.choices.includes(given as string)
          ? `"${key}" must be one of ${option.choices.map((c) => `"${c}"`).join(', ')} (got ${JSON.stringify(given)})`
          : option.validate?.(given, options);
    // perDay is checked against perMinute when both are here; against the other layers once they are merged.
    if (problem) throw new ConfigError(`${where}: ${asConfigKeys(problem)}`);
  }
  return options;
}

/** An option's message about flags (`--per-day`), about config keys instead (`"limits.perDay"`). */
function asConfigKeys(message: string): string {
  return Object.entries(OPTION_OF).reduce((text, [key, flag]) => text.replaceAll(`--${flag}`, `"${key}"`), message);
}

function optionNamed(defs: StepOption[], name: string): StepOption {
  const option = defs.find((o) => o.name === name);
  if (!option) throw new Error(`no transform has a --${name} option`);
  return option;
}
