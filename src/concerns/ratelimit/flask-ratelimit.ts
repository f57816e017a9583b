import { defineStep, type StepContext } from '../../step/contract.js';
import { readPythonLimitOptions } from './options.js';
import { runPythonRatelimit, type LimiterFlavor } from './python/limiter.js';
import { FLASK } from '../../frameworks/python/routes.js';
import { meta, options } from './flask-ratelimit.meta.js';

const flavor: LimiterFlavor = {
  fw: FLASK,
  ruleId: meta.ruleId,
  limiterPackage: 'flask_limiter',
  // 3.0 made everything after key_func keyword-only: the form we write.
  // In pinned files: 4.1.1, the version the end-to-end tests run (it needs Python 3.10 or later).
  requirement: { name: 'Flask-Limiter', minVersion: '3.5', pinVersion: '4.1.1' },
  template: 'flask_rate_limiting.py',
  limit: (count, unit) => `${count} per ${unit}`,
  // At module level, beside the app: `Limiter(get_remote_address, app=app, …)`; otherwise init_app.
  inlineTakesApp: true,
  wiring(app, limiter, attached) {
    return attached.initApp ? [] : [`${limiter}.init_app(${app})`];
  },
  // Checked on PyPI's metadata (2026-12): Flask-Limiter 2.x and later require Flask>=2, and 1.x takes
  // Limiter(app, key_func=…), not the constructor we write.
  frameworkFloor: {
    package: 'flask',
    major: 2,
    why: 'Flask-Limiter 2 and later need Flask 2 or later; pip could not install it beside this pin',
  },
  proxyAdvice(text) {
    if (/ProxyFix/.test(text)) return undefined;
    return "wrap the app in werkzeug's ProxyFix (app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)) so that get_remote_address sees the client, with x_for set to the number of proxies in front";
  },
};

export function run(ctx: StepContext): void {
  runPythonRatelimit(ctx, flavor, (file) => readPythonLimitOptions(ctx.optionsFor(file)));
}

/**
 * The jscodeshift entry point (`--extensions=py`): the module's own edits; new files and dependencies need our runner.
 */
export default defineStep({ meta, options, run });
