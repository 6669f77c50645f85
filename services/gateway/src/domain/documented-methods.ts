/**
 * The methods the public contract documents for a path, read from the OpenAPI document's
 * path templates (`/api/products/{id}`). The gateway answers a method it never forwards
 * (TRACE, CONNECT, anything unknown) with 405 and these in `Allow`.
 */
export type DocumentedMethods = (path: string) => string[] | undefined;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function documentedMethods(paths: Record<string, Record<string, unknown>>): DocumentedMethods {
  const templates = Object.entries(paths).map(([template, operations]) => {
    const pattern = template
      .split('/')
      .map((segment) =>
        /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    const methods = Object.keys(operations)
      .filter((key) => HTTP_METHODS.has(key))
      .map((key) => key.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    return { matcher: new RegExp(`^${pattern}/?$`), methods: methods.sort() };
  });
  return (path) => templates.find(({ matcher }) => matcher.test(path))?.methods;
}
