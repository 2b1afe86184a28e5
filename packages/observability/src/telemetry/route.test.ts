import { describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { isRouteTemplate, toRouteTemplate } from "./route.js";

describe("toRouteTemplate", () => {
  const cases: [string, string][] = [
    ["/v1/docs/:id", "/v1/docs/:id"],
    ["/v1/docs/42", "/v1/docs/:id"],
    ["/v1/docs/42?full=1", "/v1/docs/:id"],
    ["/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301/keys", "/users/:id/keys"],
    ["/blobs/deadbeefcafe", "/blobs/:id"],
    ["/health", "/health"],
    ["v1/compress", "/v1/compress"],
    ["/users/alice@example.com", "/users/:id"],
    ["/login;jsessionid=ABCDEF123", "/:id"],
    ["/search/q=term", "/search/:id"],
    ["/reports/2024-01-15", "/reports/:id"],
    ["/reports/15.01.2024/pdf", "/reports/:id/pdf"],
    ["/files/my%20secret%2Fdoc", "/files/:id"],
    ["/keys/rfcc_live_AbCdEf123456_xyz", "/keys/:id"],
  ];
  for (const [input, expected] of cases) {
    it(`normalises ${input}`, () => {
      expect(toRouteTemplate(input)).toBe(expected);
    });
  }

  it("rejects a raw path with the reject policy", () => {
    let caught: unknown;
    try {
      toRouteTemplate("/v1/docs/42", "reject");
    } catch (error) {
      caught = error;
    }
    expect(isObservabilityError(caught)).toBe(true);
    expect(isObservabilityError(caught) ? caught.code : "").toBe(
      "RAW_PATH_REJECTED",
    );
  });

  it("accepts a template with the reject policy", () => {
    expect(toRouteTemplate("/v1/docs/:id", "reject")).toBe("/v1/docs/:id");
  });
});

describe("isRouteTemplate", () => {
  it("rejects query strings and relative paths", () => {
    expect(isRouteTemplate("/a?b=1")).toBe(false);
    expect(isRouteTemplate("a/b")).toBe(false);
    expect(isRouteTemplate("/a/:b")).toBe(true);
  });

  it("rejects segments that hold request values", () => {
    const paths = [
      "/users/alice@example.com",
      "/login;jsessionid=ABCDEF123",
      "/reports/2024-01-15",
      "/files/my%20secret%2Fdoc",
    ];
    for (const path of paths) {
      expect(isRouteTemplate(path), path).toBe(false);
    }
  });
});
