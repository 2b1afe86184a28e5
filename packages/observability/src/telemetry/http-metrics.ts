import type { Histogram, Meter } from "@opentelemetry/api";

import { isObservabilityError } from "../errors.js";
import { toRouteTemplate } from "./route.js";
import type { RawPathPolicy } from "./route.js";
import type { TelemetryGuard } from "./guard.js";

/** Name of the HTTP server duration histogram in OpenTelemetry semantic conventions. */
export const HTTP_SERVER_REQUEST_DURATION = "http.server.request.duration";

/**
 * Bucket boundaries, in seconds, that the OpenTelemetry HTTP semantic
 * conventions advise for `http.server.request.duration`.
 */
export const HTTP_SERVER_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

const KNOWN_METHODS = new Set([
  "CONNECT",
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "TRACE",
]);

/** One finished HTTP request. */
export interface HttpRequestRecord {
  /** Request method; unknown methods are recorded as `_OTHER`. */
  readonly method: string;
  /** Route template such as `/v1/docs/:id`; raw paths follow the policy. */
  readonly route: string;
  /** Response status code. */
  readonly statusCode: number;
  /** Duration in seconds. */
  readonly durationSeconds: number;
}

/** Options of {@link createHttpServerMetrics}. */
export interface HttpServerMetricsOptions {
  /** Meter from `@opentelemetry/api`. */
  readonly meter: Meter;
  /** Guard that catches, counts and logs failed telemetry calls. */
  readonly guard: TelemetryGuard;
  /**
   * Policy for a raw path in `route`: normalise it, or drop the data point
   * and count it as dropped.
   * @default "normalise"
   */
  readonly rawPaths?: RawPathPolicy;
}

/** Records HTTP server metrics; see {@link createHttpServerMetrics}. */
export interface HttpServerMetrics {
  /** Records one finished request; never throws. */
  record(request: HttpRequestRecord): void;
}

/**
 * Creates the `http.server.request.duration` histogram (seconds) with the
 * attributes `http.request.method`, `http.response.status_code` and
 * `http.route`.
 */
export function createHttpServerMetrics(
  options: HttpServerMetricsOptions,
): HttpServerMetrics {
  const { guard, meter } = options;
  const policy = options.rawPaths ?? "normalise";
  const histogram: Histogram | undefined = guard.run("instrument", () =>
    meter.createHistogram(HTTP_SERVER_REQUEST_DURATION, {
      description: "Duration of HTTP server requests.",
      unit: "s",
      advice: { explicitBucketBoundaries: [...HTTP_SERVER_DURATION_BUCKETS] },
    }),
  );

  const recordOne = (request: HttpRequestRecord): void => {
    const problem = findInvalidField(request);
    if (problem !== undefined) {
      guard.drop("data-point", problem);
      return;
    }
    if (histogram === undefined) {
      guard.drop("data-point", "instrument was not created");
      return;
    }
    const route = routeOrDrop(request.route, policy, guard);
    if (route === undefined) {
      return;
    }
    const method = request.method.toUpperCase();
    histogram.record(request.durationSeconds, {
      "http.request.method": KNOWN_METHODS.has(method) ? method : "_OTHER",
      "http.response.status_code": request.statusCode,
      "http.route": route,
    });
  };

  return {
    record(request) {
      guard.run("data-point", () => {
        recordOne(request);
      });
    },
  };
}

/**
 * Names the first invalid field of a request record, or returns undefined.
 * The SDK would drop a negative or non-number duration without telling the
 * guard, and would add an infinite one to the histogram sum.
 */
function findInvalidField(request: HttpRequestRecord): string | undefined {
  if (typeof request !== "object" || (request as unknown) === null) {
    return "request record is not an object";
  }
  if (typeof request.method !== "string") {
    return "method is not a string";
  }
  const status = request.statusCode;
  if (!(Number.isInteger(status) && status >= 100 && status <= 599)) {
    return "statusCode is not an HTTP status from 100 to 599";
  }
  const duration = request.durationSeconds;
  if (!(typeof duration === "number" && Number.isFinite(duration))) {
    return "durationSeconds is not a finite number";
  }
  return duration < 0 ? "durationSeconds is negative" : undefined;
}

function routeOrDrop(
  route: string,
  policy: RawPathPolicy,
  guard: TelemetryGuard,
): string | undefined {
  try {
    return toRouteTemplate(route, policy);
  } catch (error) {
    const reason = isObservabilityError(error) ? error.code : "invalid route";
    guard.drop("data-point", reason, error);
    return undefined;
  }
}
