/**
 * A cookie-keeping stand-in for the dashboard: keeps the session cookie it is given, remembers the CSRF token from
 * sign-in (or an accepted invite) and sends it on writes, as web/src/api.ts does.
 */
export function browser(base: string) {
  /** The session cookie and CSRF token it holds; tests copy a cookie to play a second device. */
  const jar = { cookie: "", csrf: "" };
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(jar.cookie ? { cookie: jar.cookie } : {}),
        ...(jar.csrf && method !== "GET" ? { "x-csrf-token": jar.csrf } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get("set-cookie");
    if (set) jar.cookie = /^lp_session=;/.test(set) ? "" : (set.split(";")[0] ?? "");
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : null) as any;
    if (typeof parsed?.csrf_token === "string") jar.csrf = parsed.csrf_token;
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  const signIn = (email: string, password: string) => call("POST", "/api/auth/login", { email, password });
  return Object.assign(call, { signIn, jar });
}
export type Browser = ReturnType<typeof browser>;
