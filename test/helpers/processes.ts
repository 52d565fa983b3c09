import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port the OS just handed out and released: good enough for a child server to bind a moment later. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh SQLite file (in its own temp dir, with room for its -wal and -shm) for server processes to share. */
export function tempSqliteFile(): { file: string; url: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "licensepool-proc-"));
  const file = join(dir, "test.db");
  return { file, url: `sqlite:${file}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Settles when the process has ended, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed so far on stdout and stderr. */
  output(): string;
  /** SIGTERM (a graceful stop), then waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * `licensepool serve` in its own OS process on the given database, as a second app server behind a load balancer
 * would run. node with tsx as a loader (not npx, which would leave the real server running when killed).
 */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    // API_RATE_LIMIT: as for in-process test servers (TEST_API_RATE_LIMIT), load tests are not throttled unless they ask.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: "silent",
      API_RATE_LIMIT: "1000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("listening")) resolve();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`server process exited with ${code ?? signal}: ${stderr.slice(-2000)}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    exited,
    output: () => stdout + stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** What one request to a server process that may be stopped or killed came to. */
export type Outcome =
  | { status: number; body: any; headers: Headers }
  /** No complete answer: the connection was refused, reset or closed before or while answering. */
  | { error: string };

/**
 * One JSON request; a connection that fails before or while answering is an outcome too, not a thrown error.
 * `headers` adds request headers (an Idempotency-Key); the answer's headers are in the outcome.
 */
export async function tryRequest(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    return { error: String((err as { cause?: { code?: string } }).cause?.code ?? err) };
  }
  try {
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  } catch {
    return { error: "truncated answer" };
  }
}
