/**
 * Which methods the app's routes declare for a path, read from express's router (the
 * `router` package's layers and routes). Used only when no route answered: a path that
 * exists under other methods is a 405 with `Allow` (RFC 9110 §15.5.6), not a 404.
 */
interface RouteLike {
  methods: Record<string, boolean | undefined>;
}
interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: LayerLike[] };
  path?: string;
  match(path: string): false | true | { path: string };
}

export function allowedMethods(stack: readonly LayerLike[] | undefined, path: string): Set<string> {
  const allowed = new Set<string>();
  collect(stack ?? [], path, allowed);
  if (allowed.has('GET')) allowed.add('HEAD');
  return allowed;
}

function collect(stack: readonly LayerLike[], path: string, allowed: Set<string>): void {
  for (const layer of stack) {
    let matched: ReturnType<LayerLike['match']>;
    try {
      matched = layer.match(path);
    } catch {
      continue; // a malformed escape in the path: express itself answers 400 for it
    }
    if (!matched) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') allowed.add(method.toUpperCase());
    } else if (layer.handle?.stack) {
      // A mounted router: match the rest of the path below its prefix.
      const prefix = typeof matched === 'object' ? matched.path : (layer.path ?? '');
      collect(layer.handle.stack, path.slice(prefix.length) || '/', allowed);
    }
  }
}

/** The app's router stack (express 5 exposes it as `app.router`). */
export function routerStack(app: unknown): LayerLike[] | undefined {
  return (app as { router?: { stack?: LayerLike[] } }).router?.stack;
}
