// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";

/** Packages that only adapters may use: the core stays pure (no I/O, no Office, no Graph SDK, no UI). */
const adapterPackages = [
  "@microsoft/*",
  "@azure/*",
  "@fluentui/*",
  "react",
  "react-*",
  "idb",
  "fs",
  "node:*",
  "http",
  "https",
  "path",
  "os",
];

const layer = (name) => `**/src/${name}/**`;
const layerImport = (name) => [`../${name}`, `../${name}/*`, `../../${name}/*`, `**/src/${name}/*`];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "test-results/", "**/*.js", "!bin/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["bin/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  // Imports flow inward: core imports nothing of ours and no adapter packages.
  {
    files: [layer("core")],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*", "**/src/*", ...adapterPackages],
              message: "src/core is pure: it may import only other core modules (./x).",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "core does no I/O." },
        { name: "Office", message: "Office.js lives in src/office only." },
        { name: "localStorage", message: "core does no I/O." },
        { name: "indexedDB", message: "core does no I/O." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "core has no clock: pass `now` in." },
        { object: "performance", property: "now", message: "core has no clock: pass `now` in." },
        {
          object: "globalThis",
          property: "Date",
          message: "core has no clock: use the Date global with an instant, never globalThis.Date.",
        },
        { object: "globalThis", property: "fetch", message: "core does no I/O." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "core has no clock: pass `now` in.",
        },
        {
          selector: "ImportExpression",
          message: "src/core is pure: no dynamic import() (of adapters or anything else).",
        },
      ],
    },
  },
  // Adapters may use core and each other's interfaces, never the composition roots.
  {
    files: [layer("graph"), layer("store"), layer("auth"), layer("office")],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...layerImport("taskpane"), ...layerImport("cli")],
              message: "Adapters must not import the composition roots (taskpane, cli).",
            },
          ],
        },
      ],
    },
  },
  // Only src/office touches the Office.js global.
  {
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: [layer("office"), layer("core")],
    rules: {
      "no-restricted-globals": ["error", { name: "Office", message: "Office.js lives in src/office only." }],
    },
  },
  // The pane's components follow the rules of hooks (the plugin's flat recommended set, React Compiler checks included).
  {
    files: ["src/taskpane/**/*.ts", "src/taskpane/**/*.tsx"],
    ...reactHooks.configs.flat["recommended-latest"],
  },
  // Components see PaneServices and the pane's state only: Graph and storage come through the composition root.
  {
    files: ["src/taskpane/components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...layerImport("graph"), ...layerImport("store"), "**/graph/*", "**/store/*"],
              message: "Components must not use Graph or the cache directly: go through PaneServices.",
            },
          ],
        },
      ],
    },
  },
);
