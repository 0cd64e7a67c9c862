// Chromium with no DevTools client watching it, as the pane runs in Outlook. Playwright turns on the DevTools
// Network domain in every page and worker it attaches to (and request interception wherever a route is set), so
// each response also goes to Playwright, through the browser process: on this machine that made the browser's
// fetch of a 100k mailbox 2.9 s instead of 2.1 s, and the pane's first sync 7.9 s instead of 6.0 s. Here the
// browser is driven over --remote-debugging-pipe with only what a run needs: the page's init scripts, office.js's
// CDN answered locally (the Fetch domain paused for that URL pattern alone), navigation, and Runtime.evaluate to
// read what the page measured. Nothing here watches the network.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

interface CdpMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly sessionId?: string;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
}

/** One page in a browser of its own (a fresh profile: an empty IndexedDB), driven over the DevTools pipe. */
export interface QuietPage {
  /** Navigates and returns Date.now() just before the navigation was asked for. */
  goto(url: string): Promise<number>;
  /** Evaluates `expression` in the page (awaiting a promise it gives) and returns its value as JSON gives it. */
  evaluate<T>(expression: string): Promise<T>;
  /** Evaluates `expression` every `everyMs` until it gives something other than null or undefined. */
  waitFor<T>(expression: string, timeoutMs: number, everyMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface QuietPageOptions {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly viewport: { readonly width: number; readonly height: number };
  /** Scripts run in every new document before its own, in order. */
  readonly initScripts: readonly string[];
  /** A URL pattern (DevTools Fetch syntax, `*` any characters) answered with this JavaScript. */
  readonly fulfil?: { readonly urlPattern: string; readonly javascript: string };
}

export async function openQuietPage(options: QuietPageOptions): Promise<QuietPage> {
  const profile = mkdtempSync(join(os.tmpdir(), "rekindle-quiet-"));
  const browser: ChildProcess = spawn(
    options.executablePath,
    [
      "--headless",
      "--remote-debugging-pipe",
      ...options.args,
      `--window-size=${options.viewport.width},${options.viewport.height}`,
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const toBrowser = browser.stdio[3] as Writable;
  const fromBrowser = browser.stdio[4] as Readable;
  const pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  const listeners: ((m: CdpMessage) => void)[] = [];
  let exited: Error | null = null;
  let ids = 0;
  let buffered = "";
  fromBrowser.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    for (let end = buffered.indexOf("\0"); end >= 0; end = buffered.indexOf("\0")) {
      const message = JSON.parse(buffered.slice(0, end)) as CdpMessage;
      buffered = buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (waiting) {
        pending.delete(message.id as number);
        if (message.error) waiting.reject(new Error(`Chromium: ${message.error.message}`));
        else waiting.resolve(message.result ?? {});
      } else for (const listener of listeners) listener(message);
    }
  });
  browser.once("exit", (code) => {
    exited = new Error(`Chromium exited (code ${code}) while the bench was driving it`);
    for (const waiting of pending.values()) waiting.reject(exited);
    pending.clear();
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++ids;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  const close = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => browser.once("exit", resolve));
      // Browser.close lets Chromium end its own processes (a kill leaves them writing into the profile a moment).
      await send("Browser.close").catch(() => browser.kill());
      await gone;
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    const { targetId } = await send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    const fulfil = options.fulfil;
    if (fulfil) {
      const body = Buffer.from(fulfil.javascript).toString("base64");
      listeners.push((m) => {
        if (m.method !== "Fetch.requestPaused" || m.sessionId !== sessionId) return;
        void send(
          "Fetch.fulfillRequest",
          {
            requestId: m.params?.requestId,
            responseCode: 200,
            responseHeaders: [{ name: "content-type", value: "text/javascript" }],
            body,
          },
          sessionId,
        ).catch(() => undefined);
      });
      await send(
        "Fetch.enable",
        { patterns: [{ urlPattern: fulfil.urlPattern, requestStage: "Request" }] },
        sessionId,
      );
    }
    // Init scripts are only run in pages whose Page domain is on (it reports frames, not the network).
    await send("Page.enable", {}, sessionId);
    for (const source of options.initScripts)
      await send("Page.addScriptToEvaluateOnNewDocument", { source }, sessionId);

    const evaluate = async <T>(expression: string): Promise<T> => {
      const answer = (await send(
        "Runtime.evaluate",
        { expression, returnByValue: true, awaitPromise: true },
        sessionId,
      )) as {
        result?: { value?: T };
        exceptionDetails?: { exception?: { description?: string }; text?: string };
      };
      if (answer.exceptionDetails) {
        const details = answer.exceptionDetails;
        throw new Error(`in the page: ${details.exception?.description ?? details.text ?? "an exception"}`);
      }
      return answer.result?.value as T;
    };
    return {
      goto: async (url) => {
        const started = Date.now();
        const { errorText } = (await send("Page.navigate", { url }, sessionId)) as { errorText?: string };
        if (errorText) throw new Error(`Chromium could not open ${url}: ${errorText}`);
        return started;
      },
      evaluate,
      waitFor: async <T>(expression: string, timeoutMs: number, everyMs = 100): Promise<T> => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await evaluate<T | null | undefined>(expression);
          if (value !== null && value !== undefined) return value;
          if (Date.now() > deadline) throw new Error(`${expression} gave nothing within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
