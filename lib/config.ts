import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checklistOf, CHECKLIST } from './detect/checklist.js';

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

export interface AiSecureConfig {
  ignore: IgnoreEntry[];
  /** The folder the config file sits in: `paths` patterns are relative to it. */
  dir?: string;
}

export class ConfigError extends Error {}

export const CONFIG_FILE = 'ai-secure.config.json';
const KNOWN_KEYS = ['$schema', 'ignore'];

/**
 * The config that applies to a folder: the nearest `ai-secure.config.json` (or package.json with
 * `"aiSecure"`) from the folder up to `top` (the repository root), and the file it came from.
 */
export function loadConfig(dir: string, top: string = dir): { config: AiSecureConfig; file?: string } {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const own = join(at, CONFIG_FILE);
    if (existsSync(own)) return { config: { ...validate(parse(own), CONFIG_FILE), dir: at }, file: own };
    const pkg = join(at, 'package.json');
    const value = existsSync(pkg) ? (parse(pkg) as Record<string, unknown> | undefined)?.aiSecure : undefined;
    if (value !== undefined) return { config: { ...validate(value, 'package.json "aiSecure"'), dir: at }, file: pkg };
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

export function validate(value: unknown, where: string): AiSecureConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${where} must be an object`);
  const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknown.length) throw new ConfigError(`${where}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KNOWN_KEYS.filter((k) => k !== '$schema').join(', ')})`);
  const raw = (value as { ignore?: unknown }).ignore ?? [];
  if (!Array.isArray(raw)) throw new ConfigError(`${where}: "ignore" must be a list of { "rule", "paths"?, "reason" }`);
  const ignore = raw.map((entry, i): IgnoreEntry => {
    const at = `${where}: ignore[${i}]`;
    if (!entry || typeof entry !== 'object') throw new ConfigError(`${at} must be an object { "rule", "paths"?, "reason" }`);
    const { rule, paths, reason, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length) throw new ConfigError(`${at}: unknown key ${Object.keys(rest).map((k) => `"${k}"`).join(', ')} (known: rule, paths, reason)`);
    if (typeof rule !== 'string' || !knownRule(rule)) {
      throw new ConfigError(`${at}: "rule" must name a rule or checklist item: ${CHECKLIST.map((c) => c.id).join(', ')}, or a rule id such as next-ratelimit (got ${JSON.stringify(rule)})`);
    }
    if (typeof reason !== 'string' || !reason.trim()) throw new ConfigError(`${at}: "reason" is required: say why this is safe to ignore`);
    const list = typeof paths === 'string' ? [paths] : paths;
    if (list !== undefined && (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p))) throw new ConfigError(`${at}: "paths" must be a pattern or a list of patterns (gitignore syntax)`);
    return { rule, reason: reason.trim(), ...(list ? { paths: list as string[] } : {}) };
  });
  return { ignore };
}
