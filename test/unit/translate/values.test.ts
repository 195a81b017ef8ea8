// The guards on values from outside the process, at their edges. Times: RFC 3339 section 5.6
// (date-time = full-date "T" full-time, time-offset = "Z" / ("+" / "-") time-hour ":" time-minute, an
// optional fraction of any length, "T" and "Z" in either case), which is how the Kubernetes API writes
// metav1.Time (seconds) and MicroTime (6 digits) and ARM its times (.NET's 7 digits). Base64: a Secret's
// data as the API server gives it, Go's base64.StdEncoding (the standard alphabet, padded to a multiple
// of 4 characters).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBase64, timeOf } from "../../../shared/translate/values.js";

describe("a time as Kubernetes and ARM write it (RFC 3339)", () => {
  const accepted: [string, string, string][] = [
    ["metav1.Time", "2026-11-24T10:00:00Z", "2026-11-24T10:00:00.000Z"],
    ["lowercase t and z", "2026-11-24t10:00:00z", "2026-11-24T10:00:00.000Z"],
    ["one digit of fraction", "2026-11-24T10:00:00.5Z", "2026-11-24T10:00:00.500Z"],
    ["MicroTime, 6 digits", "2026-11-24T10:00:00.123456Z", "2026-11-24T10:00:00.123Z"],
    ["ARM's 7 digits", "2026-11-26T05:00:00.1234567+00:00", "2026-11-26T05:00:00.123Z"],
    ["an offset east of UTC", "2026-11-24T11:00:00+01:00", "2026-11-24T10:00:00.000Z"],
    ["an offset west of UTC, with minutes", "2026-11-24T04:30:00-05:30", "2026-11-24T10:00:00.000Z"],
    ["a fraction and an offset", "2026-11-24T11:00:00.25+01:00", "2026-11-24T10:00:00.250Z"],
  ];
  for (const [description, text, instant] of accepted) {
    it(`${description}: ${text}`, () => assert.equal(timeOf(text)?.toISOString(), instant));
  }

  // Each is a time JavaScript's Date would read (or a near miss of one), but not RFC 3339.
  const refused: [string, string][] = [
    ["no offset (Date reads it as local time)", "2026-11-24T10:00:00"],
    ["an offset without its colon", "2026-11-24T10:00:00+0100"],
    ["an offset of hours only", "2026-11-24T10:00:00+01"],
    ["a space for T", "2026-11-24 10:00:00Z"],
    ["ECMAScript's expanded year", "+002026-11-24T10:00:00Z"],
    ["a fraction without digits", "2026-11-24T10:00:00.Z"],
    ["text after the offset", "2026-11-24T10:00:00+01:00 CET"],
    ["a date alone", "2026-11-24"],
  ];
  for (const [description, text] of refused) {
    it(`refused, ${description}: ${text}`, () => assert.equal(timeOf(text), undefined));
  }

  it("takes a valid Date as it is, and refuses an invalid one or another type", () => {
    const date = new Date("2026-11-24T10:00:00Z");
    assert.equal(timeOf(date), date);
    assert.equal(timeOf(new Date("not a time")), undefined);
    assert.equal(timeOf(1795514400000), undefined);
  });
});

describe("a Secret's data value as base64", () => {
  const cases: [string, string, boolean][] = [
    ["hunter2", "aHVudGVyMg==", true],
    ["three bytes, no padding", "YWJj", true],
    ["an empty value", "", true],
    ["one byte, padded", "YQ==", true],
    ["the standard alphabet's + and /", "+/+/", true],
    ["one byte, unpadded (not StdEncoding)", "YQ", false],
    ["three characters", "YWJ", false],
    ["five characters", "YWJjZ", false],
    ["three padding characters", "Y===", false],
    ["padding inside", "YQ==YWJj", false],
    ["the URL-safe alphabet", "-_-_", false],
    ["a line break", "YWJ\nYWJj", false],
  ];
  for (const [description, text, expected] of cases) {
    it(`${description}: ${expected ? "base64" : "not base64"}`, () => assert.equal(isBase64(text), expected));
  }
});
