// `npm start`: build what is stale (server and dashboard), then serve. A fresh clone builds once; later starts are instant.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((max, e) => Math.max(max, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
const stale = (out, ...inputs) => !existsSync(out) || Math.max(...inputs.map(newest)) > statSync(out).mtimeMs;

if (stale("dist/server/cli/main.js", "src")) execSync("npm run build:server", { stdio: "inherit" });
if (stale("dist/web/index.html", "web", "src/contracts")) execSync("npm run build:web", { stdio: "inherit" });
process.argv.splice(2, process.argv.length - 2, "serve");
await import("../dist/server/cli/main.js");
