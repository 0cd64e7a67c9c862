/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.(t|j)sx?$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(idb)/)"],
  testTimeout: 30000,
  // `jest --coverage` (as `npm test` runs it) instruments only the engine and the data layer, never the test files,
  // so functions the browser tests hand to Chromium run there as written. CI fails below 90% of lines.
  collectCoverageFrom: ["src/core/**/*.ts", "src/graph/**/*.ts", "src/store/**/*.ts"],
  coverageReporters: ["text-summary", "json-summary"],
  coverageDirectory: "test-results/coverage",
  coverageThreshold: {
    "./src/core/": { lines: 90 },
    "./src/graph/": { lines: 90 },
    "./src/store/": { lines: 90 },
  },
};
