// When the pane last synced, in the user's zone and locale (the host's), never the browser's.
import { describeLastSync } from "../../src/taskpane/components/SyncStatusBar";
import { instant } from "../../src/core/message";

const NOW = instant(Date.UTC(2026, 10, 20, 9, 0)); // 20 November 2026, 09:00 UTC
const MIN = 60_000;

describe("SyncStatusBar.tsx", () => {
  describe("describeLastSync", () => {
    it.each([
      ["never", null, "UTC", "en-GB", "Never synced"],
      ["seconds ago", NOW - 20_000, "UTC", "en-GB", "Synced just now"],
      ["minutes ago", NOW - 5 * MIN, "UTC", "en-GB", "Synced 5 min ago"],
      ["earlier today, London", NOW - 3 * 60 * MIN, "Europe/London", "en-GB", "Last synced at 06:00"],
      ["earlier today, Tokyo", NOW - 3 * 60 * MIN, "Asia/Tokyo", "en-GB", "Last synced at 15:00"],
      // 20:00 UTC the day before is already today (05:00, 20 November) in Tokyo, but yesterday in London.
      [
        "yesterday in London",
        NOW - 13 * 60 * MIN,
        "Europe/London",
        "en-GB",
        "Last synced 19 November 2026 at 20:00",
      ],
      ["the same moment in Tokyo", NOW - 13 * 60 * MIN, "Asia/Tokyo", "en-GB", "Last synced at 05:00"],
      [
        "days ago, US English",
        NOW - 3 * 24 * 60 * MIN,
        "America/New_York",
        "en-US",
        "Last synced November 17, 2026 at 04:00 AM",
      ],
    ])("should say %s", (_, at, timeZone, locale, expected) => {
      expect(describeLastSync(at === null ? null : instant(at), NOW, { timeZone, locale })).toBe(expected);
    });
  });
});
