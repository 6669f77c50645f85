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
