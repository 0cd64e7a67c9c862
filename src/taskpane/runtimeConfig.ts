// Where the pane's Graph, token and clock come from. Production: Microsoft Graph and MSAL, nothing overridable.
// Development builds also accept overrides (see index.tsx) so the demo and the e2e tests can run against the
// emulator. The build constants are passed in, so this stays testable outside webpack.

/** Build-time configuration (webpack DefinePlugin). */
export interface BuildConfig {
  readonly dev: boolean;
  readonly clientId: string;
  readonly graphUrl: string;
  readonly emulatorUrl: string;
  readonly demoToken: string;
  readonly demoNow: string;
}

/** Dev-only overrides: window.__REKINDLE_DEV__ and/or the page's query string (?graph=…&token=…&now=…&mode=…). */
export interface DevOverrides {
  readonly graphUrl?: string;
  readonly token?: string;
  readonly now?: string;
  readonly mode?: "demo" | "outlook";
  readonly officeTimeoutMs?: number;
}

export interface RuntimeConfig {
  readonly graphUrl: string;
  /** A fixed bearer token (dev/demo only); null means sign in with MSAL. */
  readonly staticToken: string | null;
  /** A fixed "now" (dev/demo only); null means the real clock. */
  readonly fixedNow: number | null;
  readonly forcedMode: "demo" | "outlook" | null;
  readonly officeTimeoutMs: number;
}

const isLoopbackHttp = (url: string): boolean => {
  try {
    const u = new URL(url);
    return (
      (u.protocol === "http:" || u.protocol === "https:") &&
      ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)
    );
  } catch {
    return false;
  }
};

/** Reads overrides from a global object and a query string; query parameters win. Invalid values are dropped. */
export function readDevOverrides(global: unknown, search: string): DevOverrides {
  const g = (global && typeof global === "object" ? global : {}) as Record<string, unknown>;
  const q = new URLSearchParams(search);
  const pick = (queryName: string, globalName: string): string | undefined => {
    const v = q.get(queryName) ?? g[globalName];
    return typeof v === "string" && v ? v : undefined;
  };
  const mode = pick("mode", "mode");
  const timeout = Number(q.get("officeTimeoutMs") ?? g.officeTimeoutMs);
  const out: { -readonly [K in keyof DevOverrides]: DevOverrides[K] } = {};
  const graphUrl = pick("graph", "graphUrl");
  if (graphUrl) out.graphUrl = graphUrl;
  const token = pick("token", "token");
  if (token) out.token = token;
  const now = pick("now", "now");
  if (now) out.now = now;
  if (mode === "demo" || mode === "outlook") out.mode = mode;
  if (Number.isFinite(timeout) && timeout >= 0) out.officeTimeoutMs = timeout;
  return out;
}

/**
 * Decides the runtime configuration. A production build ignores every override and always talks to
 * Microsoft Graph; a development build points Graph only at loopback URLs (the emulator).
 */
export function resolveRuntimeConfig(
  build: BuildConfig,
  overrides: DevOverrides,
  demo: boolean,
): RuntimeConfig {
  if (!build.dev) {
    return {
      graphUrl: build.graphUrl,
      staticToken: null,
      fixedNow: null,
      forcedMode: null,
      officeTimeoutMs: 5000,
    };
  }
  const requested = overrides.graphUrl ?? (demo ? build.emulatorUrl : undefined);
  const graphUrl = requested && isLoopbackHttp(requested) ? requested.replace(/\/+$/, "") : build.graphUrl;
  const nowText = overrides.now ?? (demo ? build.demoNow : undefined);
  const parsedNow = nowText ? Date.parse(nowText) : NaN;
  return {
    graphUrl,
    staticToken: overrides.token ?? (demo ? build.demoToken : null) ?? null,
    fixedNow: Number.isFinite(parsedNow) ? parsedNow : null,
    forcedMode: overrides.mode ?? null,
    officeTimeoutMs: overrides.officeTimeoutMs ?? 3000,
  };
}
