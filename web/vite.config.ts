import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const api = "http://127.0.0.1:8080";

/** The dashboard: built into dist/web, which the API server serves at `/` with an SPA fallback. */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/web`,
    emptyOutDir: true,
    // dist/web is served as is: no sourcemaps, so the sources are not published with it.
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": api,
      "/healthz": api,
    },
  },
});
