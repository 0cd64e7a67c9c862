// Offline manifest validation: Microsoft's XSDs through xmllint-wasm, plus the checks the XSDs cannot make
// (schemas/office-manifest/README.md, "Limits"): resids resolve, ids are unique, URLs are https, icon sizes exist.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { validateXML } from "xmllint-wasm";

export const SCHEMA_DIR = join(__dirname, "..", "..", "schemas", "office-manifest");
const MAIN_SCHEMA = "OfficeAppManifestV1_1.xsd";

/** Schema errors, one line each; empty when the manifest validates. */
export async function schemaErrors(xml: string, fileName = "manifest.xml"): Promise<string[]> {
  const read = (f: string) => readFileSync(join(SCHEMA_DIR, f), "utf8");
  const result = await validateXML({
    xml: [{ fileName, contents: xml }],
    schema: [{ fileName: MAIN_SCHEMA, contents: read(MAIN_SCHEMA) }],
    preload: readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith(".xsd") && f !== MAIN_SCHEMA)
      .map((f) => ({ fileName: f, contents: read(f) })),
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

/** Icon sizes the command buttons (16/32/80) and the add-in list (64/128) need. */
export const REQUIRED_BUTTON_ICON_SIZES = ["16", "32", "80"] as const;

interface Element_ {
  readonly tagName: string;
  readonly localName: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  readonly parentNode: unknown;
}

/** The attribute's value, or null when absent (xmldom's getAttribute returns "" for a missing attribute). */
const attr = (el: Element_, name: string): string | null =>
  el.hasAttribute(name) ? el.getAttribute(name) : null;

function allElements(xml: string): Element_[] {
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: { error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) },
  }).parseFromString(xml, "text/xml");
  if (problems.length) throw new Error(`manifest is not well-formed XML: ${problems.join("; ")}`);
  return Array.from(doc.getElementsByTagName("*") as unknown as ArrayLike<Element_>);
}

/** Problems that the XSDs cannot see; empty when there are none. */
export function semanticProblems(xml: string): string[] {
  const problems: string[] = [];
  const elements = allElements(xml);

  // Every resource id, defined once, under Resources (bt:Image, bt:Url, bt:String).
  const resourceIds = new Map<string, string>();
  for (const el of elements) {
    if (!["Image", "Url", "String"].includes(el.localName)) continue;
    const id = attr(el, "id");
    if (id === null) continue;
    if (resourceIds.has(id)) problems.push(`resource id "${id}" is defined more than once`);
    resourceIds.set(id, el.localName);
  }
  const expectedKind: Record<string, string[]> = {
    Image: ["Image"],
    SourceLocation: ["Url"],
    FunctionFile: ["Url"],
    Label: ["String"],
    Title: ["String"],
    Description: ["String"],
  };
  for (const el of elements) {
    const resid = attr(el, "resid");
    if (resid === null) continue;
    const kind = resourceIds.get(resid);
    if (kind === undefined) {
      problems.push(`resid "${resid}" on <${el.localName}> does not match any resource id`);
    } else if (expectedKind[el.localName] && !expectedKind[el.localName]!.includes(kind)) {
      problems.push(
        `resid "${resid}" on <${el.localName}> points to a ${kind}, not a ${expectedKind[el.localName]![0]}`,
      );
    }
  }

  // Control ids unique too (Outlook rejects duplicates).
  const controlIds = new Set<string>();
  for (const el of elements) {
    if (!["Control", "Group"].includes(el.localName)) continue;
    const id = attr(el, "id") ?? "";
    if (controlIds.has(id)) problems.push(`control id "${id}" is used more than once`);
    controlIds.add(id);
  }

  // Every URL https.
  for (const el of elements) {
    const value = attr(el, "DefaultValue");
    const urlLike =
      ["IconUrl", "HighResolutionIconUrl", "SupportUrl", "SourceLocation"].includes(el.localName) ||
      ((el.localName === "Image" || el.localName === "Url") && attr(el, "id") !== null);
    if (urlLike && value !== null && !value.startsWith("https://")) {
      problems.push(`<${el.localName}> URL "${value}" is not https`);
    }
  }
  for (const el of elements) {
    if (el.localName !== "AppDomain") continue;
    const text = (el as unknown as { textContent: string }).textContent.trim();
    if (!text.startsWith("https://")) problems.push(`<AppDomain> "${text}" is not https`);
  }

  // Icon sizes: each button icon has 16, 32 and 80; the add-in has a 64 and a 128 icon.
  for (const icon of elements.filter((el) => el.localName === "Icon")) {
    const sizes = elements
      .filter((el) => el.localName === "Image" && el.parentNode === icon)
      .map((el) => attr(el, "size"));
    for (const size of REQUIRED_BUTTON_ICON_SIZES) {
      if (!sizes.includes(size)) problems.push(`a button <Icon> has no ${size} px image`);
    }
  }
  const iconUrl = elements.find((el) => el.localName === "IconUrl")?.getAttribute("DefaultValue") ?? "";
  if (!/icon-64\.png$/.test(iconUrl)) problems.push(`<IconUrl> should be the 64 px icon (got "${iconUrl}")`);
  const hiRes =
    elements.find((el) => el.localName === "HighResolutionIconUrl")?.getAttribute("DefaultValue") ?? "";
  if (!/icon-128\.png$/.test(hiRes))
    problems.push(`<HighResolutionIconUrl> should be the 128 px icon (got "${hiRes}")`);
  return problems;
}

/** Icon files the manifest refers to, as paths relative to the site root (e.g. assets/icon-16.png). */
export function referencedAssetPaths(xml: string, baseUrl: string): string[] {
  const paths = new Set<string>();
  for (const el of allElements(xml)) {
    const value = attr(el, "DefaultValue");
    if (value?.startsWith(`${baseUrl}/assets/`)) paths.add(value.slice(baseUrl.length + 1));
  }
  return [...paths];
}
