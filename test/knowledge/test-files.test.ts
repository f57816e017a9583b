import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../src/knowledge/test-files.js';

// One answer to "is this a test" for the inventory, the rate limiters and CORS.

const ROOT = join('/', 'work', 'project');
const at = (rel: string) => join(ROOT, ...rel.split('/'));

describe('isTestFile', () => {
  it.each([
    'tests/test_api.py',
    'test/app.py',
    'testing/server.py',
    'app/test_routes.py',
    'app/routes_test.py',
    'conftest.py',
    'mock_openai.py',
    'src/__tests__/route.ts',
    '__mocks__/openai.js',
    'app/api/chat/route.test.ts',
    'server.spec.mjs',
  ])('%s is a test', (rel) => {
    expect(isTestFile(at(rel), [ROOT])).toBe(true);
  });

  it.each(['main.py', 'app/api/chat/route.ts', 'contest.py', 'latest/app.py', 'attest.js', 'testimonials/page.tsx'])(
    '%s is not',
    (rel) => {
      expect(isTestFile(at(rel), [ROOT])).toBe(false);
    },
  );

  it('is judged inside the deepest root that holds the file, so a project under test/ is not all tests', () => {
    const root = join('/', 'ci', 'tests', 'repo');
    expect(isTestFile(join(root, 'main.py'), [root])).toBe(false);
    expect(isTestFile(join(root, 'main.py'), [join('/', 'ci'), root])).toBe(false);
    expect(isTestFile(join(root, 'tests', 'test_main.py'), [root])).toBe(true);
  });

  it('outside every root (a file named on the command line) only its name counts', () => {
    expect(isTestFile(join('/', 'tests', 'main.py'), [])).toBe(false);
    expect(isTestFile(join('/', 'tests', 'test_main.py'), [])).toBe(true);
  });
});
