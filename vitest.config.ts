import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["src/**/*.test.ts"] } },
      { test: { name: "api", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } },
      // Browser tests share one Chromium and build the dashboard first; run files one at a time.
      {
        test: {
          name: "browser",
          include: ["e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
