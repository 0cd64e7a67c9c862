// How much room the pane has and which colours the user needs. The task pane is the whole window in Outlook, so
// the window's width is the pane's width; Office.js nulls history.pushState, so views are plain React state.
import { useSyncExternalStore } from "react";

/** From this width the list and the detail sit side by side. */
export const SIDE_BY_SIDE_MIN_WIDTH = 640;

function subscribeToResize(onChange: () => void): () => void {
  window.addEventListener("resize", onChange);
  return () => window.removeEventListener("resize", onChange);
}

/** True while the pane is wide enough for list and detail side by side. */
export function useSideBySide(): boolean {
  return useSyncExternalStore(
    subscribeToResize,
    () => window.innerWidth >= SIDE_BY_SIDE_MIN_WIDTH,
    () => false,
  );
}

const FORCED_COLORS = "(forced-colors: active)";

function subscribeToForcedColors(onChange: () => void): () => void {
  if (typeof window.matchMedia !== "function") return () => {};
  const query = window.matchMedia(FORCED_COLORS);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** True when the system forces its own high-contrast colours (Windows contrast themes). */
export function useForcedColors(): boolean {
  return useSyncExternalStore(
    subscribeToForcedColors,
    () => typeof window.matchMedia === "function" && window.matchMedia(FORCED_COLORS).matches,
    () => false,
  );
}
