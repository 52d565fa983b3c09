import type { FastifyInstance } from "fastify";

export interface RegisteredRoute {
  method: string;
  /** The full path pattern, prefix included, e.g. `/api/v1/clients/:id`. */
  url: string;
}

const routesOf = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/**
 * Records every route registered on `app` from now on (call it before any route is added). The isolation and
 * hostile-input tests build their matrices from this list, so a new route that nobody classified fails them.
 */
export function recordRoutes(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  routesOf.set(app, routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
}

/** The routes recorded on `app` (empty when `recordRoutes` was not called on it), in registration order. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routesOf.get(app) ?? [];
}
