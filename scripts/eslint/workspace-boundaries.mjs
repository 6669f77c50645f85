// Import rules that keep the layout honest (docs/architecture.md, "a service's shape"):
// a relative import never leaves its workspace package (other packages are reached by
// their @surge/* name, so the dependency is declared and the build order known).
import fs from 'node:fs';
import path from 'node:path';

const rootCache = new Map();

/** The nearest folder above `dir` with a package.json: the file's workspace package. */
function workspaceRoot(dir) {
  if (rootCache.has(dir)) return rootCache.get(dir);
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, 'package.json')) || parent === dir ? dir : workspaceRoot(parent);
  rootCache.set(dir, root);
  return root;
}

export const noCrossWorkspaceRelativeImport = {
  meta: {
    type: 'problem',
    docs: { description: 'relative imports stay inside their workspace package' },
    messages: {
      outside:
        "'{{source}}' reaches into another workspace package ({{target}}); import it by its package name instead.",
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const root = workspaceRoot(path.dirname(filename));
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const resolved = path.resolve(path.dirname(filename), source);
      if (resolved === root || resolved.startsWith(root + path.sep)) return;
      context.report({
        node: node.source,
        messageId: 'outside',
        data: { source, target: path.relative(path.dirname(root), resolved) },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Every workspace package's name and the subpaths its `exports` field offers (`.`, `./native`). */
function workspaceExports() {
  const dirs = ['packages', 'services', 'infra']
    .flatMap((group) =>
      fs
        .readdirSync(path.join(repoRoot, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(repoRoot, group, entry.name)),
    )
    .concat(path.join(repoRoot, 'bench'));
  const exported = new Map();
  for (const dir of dirs) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const { name, exports: entries } = JSON.parse(fs.readFileSync(file, 'utf8'));
    exported.set(name, new Set(entries ? Object.keys(entries) : ['.']));
  }
  return exported;
}

let exportsCache;

export const noUnexportedWorkspaceImport = {
  meta: {
    type: 'problem',
    docs: { description: 'a workspace package is imported only through what its package.json exports' },
    messages: {
      unexported:
        "'{{source}}' is not an entry {{name}} exports ({{entries}}); export the module from the package instead of reaching into it.",
    },
    schema: [],
  },
  create(context) {
    exportsCache ??= workspaceExports();
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('@surge/')) return;
      const [scope, bare, ...rest] = source.split('/');
      const name = `${scope}/${bare}`;
      const entries = exportsCache.get(name);
      if (!entries) return;
      const subpath = rest.length === 0 ? '.' : `./${rest.join('/')}`;
      if (entries.has(subpath)) return;
      context.report({
        node: node.source,
        messageId: 'unexported',
        data: { source, name, entries: [...entries].map((entry) => path.posix.join(name, entry)).join(', ') },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
