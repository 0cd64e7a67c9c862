import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { referencedAssetPaths, schemaErrors, semanticProblems } from "./manifestChecks";

const ROOT = join(__dirname, "..", "..");
const manifest = readFileSync(join(ROOT, "manifest.xml"), "utf8");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rewriteManifestUrls } = require("../../webpack.config.js") as {
  rewriteManifestUrls: (xml: string, baseUrl: string) => string;
};

const pngSize = (file: string): [number, number] => {
  const buf = readFileSync(file);
  expect(buf.subarray(1, 4).toString("ascii")).toBe("PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
};

describe("manifest.xml", () => {
  describe("schema (xmllint-wasm, schemas/office-manifest)", () => {
    it("should validate against Microsoft's manifest XSDs", async () => {
      expect(await schemaErrors(manifest)).toEqual([]);
    });

    it.each([
      [
        "an unknown permission",
        "<Permissions>ReadWriteItem</Permissions>",
        "<Permissions>Everything</Permissions>",
      ],
      ["a five-part version", "<Version>0.1.0.0</Version>", "<Version>0.1.0.0.0</Version>"],
      ["a button without a Supertip", /<Supertip>[\s\S]*?<\/Supertip>/, ""],
      [
        "an unknown extension point",
        'xsi:type="MessageComposeCommandSurface"',
        'xsi:type="MessageTeleportSurface"',
      ],
      [
        "a SupportsPinning that is not a boolean",
        "<SupportsPinning>true</SupportsPinning>",
        "<SupportsPinning>always</SupportsPinning>",
      ],
    ])("should reject %s", async (_name, from, to) => {
      const broken = manifest.replace(from, to);
      expect(broken).not.toBe(manifest);
      const errors = await schemaErrors(broken);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/manifest\.xml:\d+/);
    });
  });

  it("should let the read pane be pinned, so it follows the user from message to message", () => {
    const read = /MessageReadCommandSurface[\s\S]*?<\/ExtensionPoint>/.exec(manifest)?.[0] ?? "";
    expect(read).toContain("<SupportsPinning>true</SupportsPinning>");
  });

  describe("checks the XSDs cannot make", () => {
    it("should find no problem in the shipped manifest", () => {
      expect(semanticProblems(manifest)).toEqual([]);
    });

    it.each([
      [
        "a resid with no resource",
        'resid="GroupLabel"',
        'resid="NoSuchLabel"',
        /resid "NoSuchLabel".*does not match/,
      ],
      [
        "a resid of the wrong kind",
        '<Label resid="GroupLabel"/>',
        '<Label resid="Icon.16x16"/>',
        /points to a Image/,
      ],
      [
        "a duplicated resource id",
        '<bt:String id="TaskpaneButton.ComposeTooltip"',
        '<bt:String id="TaskpaneButton.Tooltip"',
        /defined more than once/,
      ],
      [
        "an http URL",
        'id="Taskpane.Url" DefaultValue="https://',
        'id="Taskpane.Url" DefaultValue="http://',
        /not https/,
      ],
      [
        "an http icon URL",
        '<IconUrl DefaultValue="https://',
        '<IconUrl DefaultValue="http://',
        /IconUrl.*not https/,
      ],
      ["a missing 80 px button icon", /<bt:Image size="80" resid="Icon.80x80"\/>/, "", /no 80 px image/],
      ["a wrong high-resolution icon", "icon-128.png", "icon-32.png", /128 px icon/],
    ])("should report %s", (_name, from, to, expected) => {
      const broken = manifest.replace(from, to);
      expect(broken).not.toBe(manifest);
      expect(semanticProblems(broken).join("\n")).toMatch(expected);
    });

    it("should report XML that is not well-formed", () => {
      expect(() => semanticProblems(manifest.replace("</OfficeApp>", ""))).toThrow(/not well-formed/);
    });
  });

  describe("assets", () => {
    it("should ship every icon the manifest refers to, at its size", () => {
      const paths = referencedAssetPaths(manifest, "https://localhost:3000");
      expect(paths.sort()).toEqual(
        [
          "assets/icon-16.png",
          "assets/icon-32.png",
          "assets/icon-64.png",
          "assets/icon-80.png",
          "assets/icon-128.png",
        ].sort(),
      );
      for (const path of paths) {
        const size = Number(/icon-(\d+)\.png$/.exec(path)![1]);
        expect(pngSize(join(ROOT, path))).toEqual([size, size]);
      }
    });

    it("should ship the support page the manifest links to", () => {
      expect(manifest).toContain("https://localhost:3000/support.html");
      expect(existsSync(join(ROOT, "assets", "support.html"))).toBe(true);
    });
  });

  describe("production URL rewrite (webpack.config.js)", () => {
    it("should replace every localhost URL with the base URL and still validate", async () => {
      const prod = rewriteManifestUrls(manifest, "https://rekindle.example.com/app");
      expect(prod).not.toContain("localhost");
      expect(prod).toContain('DefaultValue="https://rekindle.example.com/app/taskpane.html"');
      expect(semanticProblems(prod)).toEqual([]);
      expect(await schemaErrors(prod)).toEqual([]);
    });

    it.each(["http://rekindle.example.com", "not a url", "https://rekindle.example.com/?q=1"])(
      "should refuse the base URL %s",
      (base) => {
        expect(() => rewriteManifestUrls(manifest, base)).toThrow(/REKINDLE_BASE_URL/);
      },
    );
  });
});
