// The scan table as a rep reads it: names as people say them, whatever the directory wrote.
import { formatTable } from "../../src/cli/scanOutput";
import { scenario } from "../fixtures/scenario";

describe("scanOutput.ts formatTable", () => {
  it("should show a directory name (Last, First) as First Last", () => {
    const report = scenario().iSend("c", 10, ["Kim, Amara <amara.kim@acme.com>"]).report("c");
    const [, row] = formatTable([report], false).split("\n");
    expect(row).toMatch(/ {2}Amara Kim/);
    expect(row).not.toMatch(/Kim, Amara/);
  });

  it("should keep a company's comma as written", () => {
    const report = scenario().iSend("c", 10, ["Acme, Inc. <sales@acme.com>"]).report("c");
    expect(formatTable([report], true)).toMatch(/Acme, Inc\./);
  });
});
