import { lazyRequire } from '../../../core/lazy-require.js';
import { ACAC, ACAO, ANY, DYNAMIC, list } from '../verdict.js';
import { type FoundCorsSite, makeSite } from './site.js';

// CORS in vercel.json: `headers: [{ source, headers: [{ key, value }] }]`.

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');

export function vercelSites(file: string, text: string): FoundCorsSite[] {
  const root = jsonc().parseTree(text);
  if (!root) return [];
  const sites: FoundCorsSite[] = [];
  const member = (node: import('jsonc-parser').Node, name: string) =>
    node.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === name)?.children?.[1];
  const visit = (node: import('jsonc-parser').Node, parent: import('jsonc-parser').Node | undefined): void => {
    if (node.type === 'object' && String(member(node, 'key')?.value).toLowerCase() === ACAO) {
      const value = member(node, 'value')?.value;
      const origins = typeof value !== 'string' ? DYNAMIC : value === '*' ? ANY : list([value]);
      const credentials = (parent?.type === 'array' ? (parent.children ?? []) : []).some(
        (o) =>
          String(member(o, 'key')?.value).toLowerCase() === ACAC &&
          String(member(o, 'value')?.value).toLowerCase() === 'true',
      );
      const line = text.slice(0, node.offset).split('\n').length;
      sites.push(
        makeSite(
          file,
          line,
          text.slice(node.offset, node.offset + node.length),
          'other',
          origins,
          credentials,
          'refused',
        ),
      );
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, undefined);
  return sites;
}
