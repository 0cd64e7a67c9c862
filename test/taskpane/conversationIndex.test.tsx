/** @jest-environment jsdom */
// The detail's index of messages by conversation: built in slices, and answering the same before and after.
import { renderHook, waitFor } from "@testing-library/react";
import fc from "fast-check";
import type { MailMessage, Mailbox } from "../../src/core/message";
import { indexSlice, scanFor, useConversationIndex } from "../../src/taskpane/state/conversationIndex";
import { demoMailbox } from "./fakeServices";

const indexed = (messages: readonly MailMessage[], slice: number) => {
  const index = new Map<string, MailMessage[]>();
  for (let at = 0; at < messages.length; at += slice)
    indexSlice(index, messages, at, Math.min(messages.length, at + slice));
  return index;
};

describe("conversationIndex.ts", () => {
  it("should give each conversation's messages in mailbox order, however the index is sliced (property)", () => {
    const messages = demoMailbox().messages;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: messages.length + 3 }), (slice) => {
        const index = indexed(messages, slice);
        for (const id of new Set(messages.map((m) => m.conversationId)))
          expect(index.get(id)).toEqual(scanFor(messages, id));
        expect([...index.values()].flat()).toHaveLength(messages.length);
      }),
    );
  });

  it("should answer by scanning at once, then from the index once its slices are done, the same", async () => {
    const mailbox: Mailbox = demoMailbox();
    const id = mailbox.messages[0]!.conversationId;
    const expected = scanFor(mailbox.messages, id);
    expect(expected.length).toBeGreaterThan(0);
    const { result, rerender } = renderHook(({ m }) => useConversationIndex(m, 3), {
      initialProps: { m: mailbox as Mailbox | null },
    });
    const first = result.current;
    expect(first(id)).toEqual(expected);
    await waitFor(() => expect(result.current).not.toBe(first));
    expect(result.current(id)).toEqual(expected);
    expect(result.current("no such conversation")).toEqual([]);
    // A new mailbox is scanned until its own index is built; no mailbox has no messages.
    const fewer: Mailbox = { ...mailbox, messages: mailbox.messages.slice(1) };
    rerender({ m: fewer });
    expect(result.current(id)).toEqual(scanFor(fewer.messages, id));
    rerender({ m: null });
    expect(result.current(id)).toEqual([]);
  });
});
