import { companyFromAddress, isNoReplyAddress, organisationOf } from "../../src/core/addresses";
import fc from "fast-check";
import {
  cleanDisplayName,
  firstNameOf,
  greetingNameOf,
  readableName,
  shortNameOf,
} from "../../src/core/names";

describe("names.ts", () => {
  describe("firstNameOf", () => {
    it.each([
      ["Alex Kim", "", "Alex"],
      ["Kim, Alex", "", "Alex"],
      ['"Kim, Alex"', "", "Alex"],
      ["Dr. Alex Kim (Acme)", "", "Alex"],
      ["ALEX KIM", "", "Alex"],
      ["alex kim", "", "Alex"],
      ["McDonald Ross", "", "McDonald"],
      ["Chloé Dubois", "", "Chloé"],
      ["jean-luc picard", "", "Jean-Luc"],
      ["", "alex.kim@acme.com", "Alex"],
      ["  ", "alex_kim@acme.com", "Alex"],
      ["", "info.desk@acme.com", ""],
      ["", "jsmith@acme.com", ""],
      ["alex@acme.com", "alex@acme.com", ""],
      ["Kim,", "", "Kim"],
      ["<b>Eve</b>", "", "Eve"],
      // a company written "Name, Inc.": its name, not "Inc"
      ["Acme, Inc.", "", "Acme"],
      ["Northwind, Ltd", "", "Northwind"],
    ])("should read %j (address %j) as %j", (name, address, expected) => {
      expect(firstNameOf(name, address)).toBe(expected);
    });
  });
});

describe("readableName", () => {
  it.each([
    // "Last, First" from a directory reads as a person says it
    ["Kim, Amara", "Amara Kim"],
    ['"Kim, Amara"', "Amara Kim"],
    ["van der Berg, Anna", "Anna van der Berg"],
    ["O'Neill, Seán", "Seán O'Neill"],
    ["Kim, Amara J.", "Amara J. Kim"],
    // commas that do not part a surname from a first name stay as written
    ["Acme, Inc.", "Acme, Inc."],
    ["Amara Kim, PhD", "Amara Kim, PhD"],
    ["Sales, Europe", "Sales, Europe"],
    ["Kim, Amara (Acme Robotics)", "Kim, Amara (Acme Robotics)"],
    ["Kim, Amara, Jo", "Kim, Amara, Jo"],
    ["Amara Kim", "Amara Kim"],
    ['  "Amara Kim"  ', "Amara Kim"],
    ["", ""],
  ])("should show %j as %j", (name, expected) => {
    expect(readableName(name)).toBe(expected);
  });

  it("should keep every letter of the name it turns around", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const letters = (s: string) => [...s.replace(/[^\p{L}]/gu, "")].sort().join("");
        expect(letters(readableName(name))).toBe(letters(cleanDisplayName(name)));
      }),
    );
  });
});

describe("shortNameOf", () => {
  it.each([
    ["Kim, Amara", "amara.kim@acme.example", "Amara"],
    ["Dr. Amara Kim (Acme)", "", "Amara"],
    ["Acme, Inc.", "", "Acme"],
    ["", "amara.kim@acme.example", "Amara"],
    ["", "info@acme.example", "info@acme.example"],
    ["", "", "someone"],
  ])("should name %j (address %j) as %j in passing", (name, address, expected) => {
    expect(shortNameOf(name, address)).toBe(expected);
  });
});

describe("greetingNameOf", () => {
  it.each([
    // people: the first name
    ["Alex Kim", "", "Alex"],
    ["Kim, Alex", "", "Alex"],
    ["ALEX KIM", "", "Alex"],
    ["jean-luc picard", "", "Jean-Luc"],
    ["Alex Kim (Acme)", "", "Alex"],
    ["Alex from Sales", "", "Alex"],
    ["Alex Kim | Acme", "", "Alex"],
    ["Alex Kim, PhD", "", "Alex"],
    ["Ed Stone", "", "Ed"],
    ["王伟", "", "王伟"],
    ["alex.kim", "", "Alex"],
    ["", "alex.kim@acme.com", "Alex"],
    // titles: title and surname
    ["Mr. John Smith", "", "Mr Smith"],
    ["Ms Jane Roe", "", "Ms Roe"],
    ["Dr Kim", "", "Dr Kim"],
    ["Dr. Alex Kim (Acme)", "", "Dr Kim"],
    ["Smith, Dr. Jane", "", "Dr Smith"],
    ["MRS. ANNE O'NEIL", "", "Mrs O'Neil"],
    ["Mr. Ludwig van Beethoven", "", "Mr van Beethoven"],
    ["MR. JAN DE VRIES", "", "Mr de Vries"],
    ["Mr De Vries", "", "Mr De Vries"],
    ["Mr. Al Smith", "", "Mr Smith"],
    ["Sr. Juan García", "", "Sr García"],
    ["Mr. John Smith Jr.", "", "Mr Smith"],
    ["Prof. Ada Lovelace", "", "Prof Lovelace"],
    ["Sir John Smith", "", "Sir John"],
    ["Mr. J", "", "there"],
    // roles and departments: "there"
    ["Sales", "sales@acme.com", "there"],
    ["Purchasing Department", "", "there"],
    ["Acme, Inc.", "", "there"],
    ["Northwind, Ltd", "", "there"],
    ["Accounts Payable", "ap@acme.com", "there"],
    ["Info", "info@acme.com", "there"],
    ["Support Team", "", "there"],
    ["Einkauf", "", "there"],
    ["Service Client", "", "there"],
    ["Ventas", "", "there"],
    ["Customer Service", "", "there"],
    ["Acme Sales Team", "", "there"],
    ["Acme Ltd", "", "there"],
    // initials and single letters: "there", unless the address names the person
    ["J", "", "there"],
    ["J.", "", "there"],
    ["JS", "jsmith@acme.com", "there"],
    ["J.S.", "", "there"],
    ["js", "", "there"],
    ["J. Smith", "", "there"],
    ["J", "jane.smith@acme.com", "Jane"],
    // nothing usable
    ["", "", "there"],
    ["alex@acme.com", "alex@acme.com", "there"],
    ["  ", "info.desk@acme.com", "there"],
    ["---", "", "there"],
  ])("should greet %j (address %j) as %j", (name, address, expected) => {
    expect(greetingNameOf(name, address)).toBe(expected);
  });

  it("should always give a non-empty, one-line greeting (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, address) => {
        const greeting = greetingNameOf(name, address);
        expect(greeting.trim()).not.toBe("");
        expect(greeting).not.toMatch(/[\r\n]/);
      }),
    );
  });
});

describe("addresses.ts", () => {
  describe("organisationOf", () => {
    it.each([
      ["alex@acme.com", "acme.com"],
      ["pat@gmail.com", "pat@gmail.com"],
      ["pat@proton.me", "pat@proton.me"],
    ])("should give %s the organisation %s", (address, org) => expect(organisationOf(address)).toBe(org));
  });
  describe("isNoReplyAddress", () => {
    it.each([
      ["noreply@x.com", true],
      ["no-reply@x.com", true],
      ["donotreply@x.com", true],
      ["do-not-reply@x.com", true],
      ["notifications@x.com", true],
      ["notification@x.com", true],
      ["postmaster@x.com", true],
      ["mailer-daemon@x.com", true],
      ["bounce+abc@x.com", true],
      ["bounces@x.com", true],
      ["alex@x.com", false],
      ["nora@x.com", false],
    ])("should say %s is no-reply: %s", (address, expected) =>
      expect(isNoReplyAddress(address)).toBe(expected),
    );
  });
  describe("companyFromAddress", () => {
    it.each([
      ["a@acme-robotics.com", "Acme Robotics"],
      ["a@tailspin-toys.co.uk", "Tailspin Toys"],
      ["a@mail.contoso.com", "Contoso"],
      ["a@gmail.com", ""],
    ])("should name the company of %s %j", (address, company) =>
      expect(companyFromAddress(address)).toBe(company),
    );
  });
});
