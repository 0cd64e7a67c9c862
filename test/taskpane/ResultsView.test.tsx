/** @jest-environment jsdom */
// The Results view: per technique a chart and its table, "not enough data" below 5 sent, the seed's claim beside
// the user's own figure, and the follow-up curve; all from a mailbox whose answers are known.
import "@testing-library/jest-dom";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, within } from "@testing-library/react";
import type { Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import type { SentRecord } from "../../src/core/userStateEntries";
import { ResultsView } from "../../src/taskpane/components/ResultsView";
import { REPLY_FORM_RECORD, resultsScenario } from "../fixtures/resultsMailbox";
import { NOW } from "../fixtures/scenario";

function renderResults(mailbox: Mailbox | null, records: readonly SentRecord[] = []) {
  render(
    <FluentProvider theme={webLightTheme}>
      <ResultsView
        mailbox={mailbox}
        sentRecords={records}
        settings={DEFAULT_SETTINGS}
        userState={EMPTY_USER_STATE}
        timeZone="UTC"
        locale="en-GB"
        now={() => NOW}
      />
    </FluentProvider>,
  );
}

const rowValue = (figure: HTMLElement, name: string) =>
  within(figure).getByRole("rowheader", { name }).nextElementSibling?.textContent;

describe("ResultsView.tsx", () => {
  it("should chart a technique with enough data, with its table as the text alternative and the seed's claim", () => {
    renderResults(resultsScenario().mailbox(), [REPLY_FORM_RECORD]);
    const figure = screen.getByRole("figure", { name: "Pending file" });
    const chart = within(figure).getByRole("img");
    expect(chart).toHaveAccessibleName(
      "Pending file: 5 of 6 answered (83%), 33% within 48 hours, 67% within 72 hours; the article claims 80% within 72 hours.",
    );
    expect(rowValue(figure, "Sent")).toBe("6");
    expect(rowValue(figure, "Answered")).toBe("5 (83%)");
    expect(rowValue(figure, "Median time to answer")).toBe("2.1 days");
    expect(rowValue(figure, "Within 48 h")).toBe("2 (33%)");
    expect(rowValue(figure, "Within 72 h")).toBe("4 (67%)");
    expect(rowValue(figure, "The article's claim")).toBe("80% within 72 h");
    expect(rowValue(figure, "What they said")).toBe("5 positive or neutral, 0 later, 0 declined, 0 left");
  });

  it("should say 'not enough data' below 5 sent, show the counts, and draw no chart", () => {
    renderResults(resultsScenario().mailbox(), [REPLY_FORM_RECORD]);
    const figure = screen.getByRole("figure", { name: "Are you OK?" });
    expect(within(figure).queryByRole("img")).toBeNull();
    expect(figure).toHaveTextContent("not enough data (fewer than 5 sent)");
    expect(rowValue(figure, "Sent")).toBe("1");
    expect(rowValue(figure, "Answered")).toBe("1");
    expect(
      screen.getByText(/Not used yet: Should I close the file\?, Close the file, No pressure, Nudge\./),
    ).toBeInTheDocument();
  });

  it('should count what Rekindle made but the mailbox does not show sent yet, instead of a bare "Sent 0"', () => {
    const drafted: SentRecord = {
      ...REPLY_FORM_RECORD,
      id: "draft:fresh:1",
      conversationId: "fresh",
      technique: "no-pressure",
      path: "graph-draft",
    };
    renderResults(resultsScenario().mailbox(), [REPLY_FORM_RECORD, drafted]);
    const figure = screen.getByRole("figure", { name: "No pressure" });
    expect(rowValue(figure, "Sent")).toBe("0");
    expect(rowValue(figure, "Made with Rekindle, not sent yet")).toBe("1");
    // Are you OK?'s one record was sent: nothing is waiting to be sent there.
    const sent = screen.getByRole("figure", { name: "Are you OK?" });
    expect(within(sent).queryByRole("rowheader", { name: "Made with Rekindle, not sent yet" })).toBeNull();
  });

  it("should chart the follow-up curve with its table", () => {
    renderResults(resultsScenario().mailbox(), [REPLY_FORM_RECORD]);
    const figure = screen.getByRole("figure", { name: "How often a follow-up drew an answer" });
    expect(within(figure).getByRole("img")).toHaveAccessibleName(
      "Your follow-up curve: 1st follow-up 86%, 2nd follow-up not enough data, 3rd follow-up not enough data, 4th+ follow-up not enough data.",
    );
    // Which conversations, in the words of Settings rather than "the window".
    expect(
      screen.getByText(
        /^Every conversation of the last 365 days \(Look back in Settings\), mail from before/,
      ),
    ).toBeInTheDocument();
    const first = within(figure).getByRole("rowheader", { name: "1st" }).closest("tr")!;
    expect([...first.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["7", "6 (86%)", "40 h"]);
  });

  it("should wait for the mail before showing results", () => {
    renderResults(null);
    expect(screen.getByText("Results appear once your mail has synced.")).toBeInTheDocument();
  });
});
