import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["test/setup-state-dir.ts"],
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
