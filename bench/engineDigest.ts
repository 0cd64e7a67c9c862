// `node dist/node/bench/engineDigest.js` (after `npx tsc -p tsconfig.cli.json`): a digest of every report and
// history the engine gives for the bench's generated mailboxes (same seed and "now" as `npm run bench`), in two
// time zones. A speed change must leave these lines as they were: compare them before and after.
import { createHash } from "node:crypto";
import { conversationHistories, detectAwaitingReply } from "../src/core/awaitingReply";
import { instant } from "../src/core/message";
import { DEFAULT_SETTINGS } from "../src/core/settings";
import { EMPTY_USER_STATE } from "../src/core/userState";
import { parseMailboxJson } from "../src/graph/mailboxFile";
import { generateMailbox } from "../test/fixtures/mailboxGenerator";

const NOW = "2026-11-20T09:00:00Z";
const digest = (value: unknown) =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);

for (const size of [10_000, 100_000]) {
  const text = JSON.stringify(generateMailbox({ seed: 1, sent: size / 4, inbox: (size * 3) / 4, now: NOW }));
  const { mailbox } = parseMailboxJson(JSON.parse(text), `generated-${size}`);
  for (const timeZone of ["UTC", "America/New_York"]) {
    const options = {
      now: instant(Date.parse(NOW)),
      settings: DEFAULT_SETTINGS,
      userState: EMPTY_USER_STATE,
      timeZone,
    };
    console.log(`reports ${size} ${timeZone}: ${digest(detectAwaitingReply(mailbox, options))}`);
    console.log(`histories ${size} ${timeZone}: ${digest(conversationHistories(mailbox, options))}`);
  }
}
