import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** The real server in its own process, as in production: node with tsx as a loader (npx would orphan it on kill). */
export function spawnServe(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    // Benchmarks measure throughput with one API key, far past the per-key limit (API_RATE_LIMIT) meant for production.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: "silent",
      API_RATE_LIMIT: "1000000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(child));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Resident memory of a process, in MiB (0 when it is gone). */
export function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export const randomPort = () => 18_000 + Math.floor(Math.random() * 2000);
