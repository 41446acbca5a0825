/** A JSON body that is an array, each item read by a function that names its problems. */
import { mediaType, readBody } from '../body.js';
import { HttpError } from '../errors.js';

/**
 * The items of a JSON array body, each turned into a value by `read` (which returns a
 * problem message instead for an item it refuses).
 *
 * @throws {@link HttpError} 400 (`invalid_body`) naming every problem.
 */
export async function readJsonArray<T>(
  request: Request,
  limit: number,
  read: (item: unknown, index: number) => T | string,
): Promise<T[]> {
  if (mediaType(request) !== 'application/json') {
    throw invalid('the request body must be application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(await readBody(request, { limit })),
    );
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw invalid('Invalid request payload JSON format');
  }
  if (!Array.isArray(value)) throw invalid('the request body must be a JSON array');
  const items: T[] = [];
  const problems: string[] = [];
  value.forEach((item, index) => {
    const result = read(item, index);
    if (typeof result === 'string') problems.push(result);
    else items.push(result);
  });
  if (problems.length > 0) throw invalid(`Payload validation error: ${problems.join('; ')}`);
  return items;
}

function invalid(message: string): HttpError {
  return new HttpError({ status: 400, code: 'invalid_body', message });
}
