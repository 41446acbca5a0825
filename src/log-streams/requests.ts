/**
 * The requests a stream sends for a batch: its type's body layout ({@link formats}),
 * split within its product's bounds, with the sink's endpoint and headers. Pure.
 *
 * @internal
 * @module
 */
import type { AuditEvent } from '../audit/event.js';
import {
  DATADOG_INTAKE,
  REQUEST_BOUNDS,
  datadogBody,
  eventBridgeEntries,
  fitEvent,
  httpBodies,
  splitBatch,
  splunkBody,
  splunkUrl,
  sumoBody,
  type EventBridgeEntry,
  type RequestBounds,
} from './formats.js';
import type { LogStreamRecord, LogStreamSinks } from './stream.js';
import type { OutgoingRequest } from './transport.js';

/** One step of a delivery: an HTTP request, or a call of the app's EventBridge function. */
export type DeliveryStep =
  | { readonly kind: 'request'; readonly request: OutgoingRequest; readonly events: number }
  | { readonly kind: 'eventbridge'; readonly entries: EventBridgeEntry[]; readonly events: number };

const JSON_TYPE = 'application/json';

/** The steps that deliver `events` to `stream`, in order. */
export function deliverySteps(
  stream: LogStreamRecord,
  events: readonly AuditEvent[],
): DeliveryStep[] {
  const bounds: RequestBounds = REQUEST_BOUNDS[stream.type];
  const fitted = events.map((event) => fitEvent(event, bounds.eventBytes));
  // Each entry's size is its JSON plus a generous allowance for the wrapping.
  const runs = splitBatch(
    fitted,
    bounds,
    (event) => Buffer.byteLength(JSON.stringify(event)) + 256,
  );
  switch (stream.type) {
    case 'http':
      return runs.flatMap((run) => httpSteps(stream.sink as LogStreamSinks['http'], run));
    case 'datadog': {
      const sink = stream.sink as LogStreamSinks['datadog'];
      return runs.map((run) =>
        request(
          DATADOG_INTAKE[sink.datadogRegion],
          { 'content-type': JSON_TYPE, 'dd-api-key': sink.datadogApiKey },
          datadogBody(run),
          run.length,
        ),
      );
    }
    case 'splunk': {
      const sink = stream.sink as LogStreamSinks['splunk'];
      return runs.map((run) =>
        request(
          splunkUrl(sink.splunkDomain, sink.splunkPort),
          { 'content-type': JSON_TYPE, authorization: `Splunk ${sink.splunkToken}` },
          splunkBody(run),
          run.length,
          !sink.splunkSecure,
        ),
      );
    }
    case 'sumo': {
      const sink = stream.sink as LogStreamSinks['sumo'];
      return runs.map((run) =>
        request(sink.sumoSourceAddress, { 'content-type': JSON_TYPE }, sumoBody(run), run.length),
      );
    }
    case 'eventbridge': {
      const sink = stream.sink as LogStreamSinks['eventbridge'];
      return runs.map((run) => ({
        kind: 'eventbridge',
        entries: eventBridgeEntries(run, sink.awsPartnerEventSource),
        events: run.length,
      }));
    }
  }
}

function httpSteps(sink: LogStreamSinks['http'], run: readonly AuditEvent[]): DeliveryStep[] {
  const format = sink.httpContentFormat ?? 'JSONLINES';
  const headers: Record<string, string> = {};
  for (const { header, value } of sink.httpCustomHeaders ?? [])
    headers[header.toLowerCase()] = value;
  headers['content-type'] = sink.httpContentType ?? JSON_TYPE;
  if (sink.httpAuthorization !== undefined) headers.authorization = sink.httpAuthorization;
  const bodies = httpBodies(run, format);
  // JSONOBJECT sends one request per event; the others one request for the run.
  return bodies.map((body) =>
    request(sink.httpEndpoint, headers, body, format === 'JSONOBJECT' ? 1 : run.length),
  );
}

function request(
  url: string,
  headers: Record<string, string>,
  body: string,
  events: number,
  insecureTls = false,
): DeliveryStep {
  return { kind: 'request', request: { url, headers, body, insecureTls }, events };
}
