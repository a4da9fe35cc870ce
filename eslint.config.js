// Type-aware rules only; Biome does formatting and the rest of linting (DESIGN.md §2).
import tseslint from "typescript-eslint";

export default tseslint.config({
  files: ["src/**/*.ts"],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
  },
  plugins: { "@typescript-eslint": tseslint.plugin },
  rules: {
    "@typescript-eslint/no-floating-promises": "error",
    "@typescript-eslint/switch-exhaustiveness-check": "error",
    // `import { z }` is a namespace re-export: the CLI bundle would keep all of zod again.
    "no-restricted-syntax": [
      "error",
      {
        selector:
          "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'][importKind!='type'], ImportDefaultSpecifier)",
        message: 'Use `import * as z from "zod"`, so that the bundle keeps only what cairn uses.',
      },
    ],
  },
});
