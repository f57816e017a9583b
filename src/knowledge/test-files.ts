import { basename, relative, sep } from 'node:path';

// Which files are tests (and the mocks beside them). Tests create throwaway apps, endpoints and
// CORS settings; none of them is what a deployment serves, so no step reports or changes them.
// One pattern for every concern: the inventory, the rate limiters and CORS must agree on what is
// a test, or one reports what another skips.

/** Test folders, JS/TS test files, pytest files and Python mock servers, on a `/`-separated relative path. */
const TEST_PATH =
  /(^|\/)(tests?|testing|__tests__|__mocks__)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test|conftest|mock_[^/]*)\.py$/;

/**
 * Whether `file` (absolute) is a test, judged on its path inside the deepest of `roots` that holds
 * it: a project that itself lives under a folder named `test` is not all tests. Outside every root
 * (a file named on the command line) only its name counts.
 */
export function isTestFile(file: string, roots: readonly string[]): boolean {
  // The path inside a root is a tail of the whole path: most files fail here, before any relative().
  if (!TEST_PATH.test(sep === '/' ? file : file.split(sep).join('/'))) return false;
  const inside = roots
    .map((root) => relative(root, file))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep))
    .sort((a, b) => a.length - b.length)[0];
  return TEST_PATH.test((inside ?? basename(file)).split(sep).join('/'));
}
