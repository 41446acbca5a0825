/**
 * `/log-streams`: Auth0's log stream endpoints over `tenant.logStreams` (list, create,
 * get, update, delete), with Auth0's scopes `read:log_streams`, `create:log_streams`,
 * `update:log_streams` and `delete:log_streams`. Sink secrets are accepted and never
 * answered: a stream comes back without `httpAuthorization`, `datadogApiKey` or
 * `splunkToken`, whoever asks.
 *
 * @see https://auth0.com/docs/api/management/v2/log-streams/get-log-streams
 */
import type { LogStreamInput, LogStreamPatch } from '../../log-streams/stream.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, found, jsonBody, orNotFound, type ManagementContext } from './context.js';
import { readQuery } from './query.js';

const NOT_FOUND = 'inexistent_log_stream';
const MESSAGE = 'The log stream does not exist';

/** The `/log-streams` routes. */
export function logStreamRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  return [
    authorised(context, 'GET', '/log-streams', async (call) => {
      // Auth0 answers every stream, as an array, and takes no query parameter.
      readQuery(call.url, {});
      return jsonResponse(200, await tenant.logStreams.list());
    }),
    authorised(context, 'GET', '/log-streams/:id', async (call) => {
      readQuery(call.url, {});
      const stream = found(await tenant.logStreams.find(call.params.id ?? ''), NOT_FOUND, MESSAGE);
      return jsonResponse(200, stream);
    }),
    authorised(context, 'POST', '/log-streams', async (call) => {
      const body = await jsonBody(context, call);
      const stream = await tenant.logStreams.create(body as unknown as LogStreamInput, call.write);
      // Auth0 answers a created stream with 200.
      return jsonResponse(200, stream);
    }),
    authorised(context, 'PATCH', '/log-streams/:id', async (call) => {
      const body = await jsonBody(context, call);
      const stream = await orNotFound(NOT_FOUND, () =>
        tenant.logStreams.update(call.params.id ?? '', body as LogStreamPatch, call.write),
      );
      return jsonResponse(200, stream);
    }),
    authorised(context, 'DELETE', '/log-streams/:id', async (call) => {
      await orNotFound(NOT_FOUND, () => tenant.logStreams.delete(call.params.id ?? '', call.write));
      return emptyResponse(204);
    }),
  ];
}
