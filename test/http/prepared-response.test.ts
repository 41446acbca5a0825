/**
 * jsonResponse builds its stream only when someone asks for the body; to its reader it is
 * the Response `new Response(text, init)` would be. Checked against such a Response with
 * random sequences of body operations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from 'clientele/http';
import { preparedHeaders, setPreparedHeader } from '../../src/http/prepared-body.js';
import { jsonResponse as sourceJsonResponse } from '../../src/http/responses.js';

type Operation =
  | 'text'
  | 'json'
  | 'arrayBuffer'
  | 'blobType'
  | 'bodyUsed'
  | 'readStream'
  | 'lockStream'
  | 'cloneText'
  | 'rewrap'
  | 'headers';

const OPERATIONS: readonly Operation[] = [
  'text',
  'json',
  'arrayBuffer',
  'blobType',
  'bodyUsed',
  'readStream',
  'lockStream',
  'cloneText',
  'rewrap',
  'headers',
];

/** What one operation observed: its value, or the class of what it threw. */
async function observe(response: Response, operation: Operation): Promise<unknown> {
  try {
    switch (operation) {
      case 'text':
        return await response.text();
      case 'json':
        return await response.json();
      case 'arrayBuffer':
        return [...new Uint8Array(await response.arrayBuffer())];
      case 'blobType': {
        const blob = await response.blob();
        return [blob.type, await blob.text()];
      }
      case 'bodyUsed':
        return response.bodyUsed;
      case 'readStream': {
        const reader = response.body?.getReader();
        const parts: number[] = [];
        for (;;) {
          const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
          if (done) break;
          parts.push(...value);
        }
        return new TextDecoder().decode(new Uint8Array(parts));
      }
      case 'lockStream':
        response.body?.getReader();
        return response.body?.locked;
      case 'cloneText':
        return await response.clone().text();
      case 'rewrap':
        return await new Response(response.body, response).text();
      case 'headers':
        return [...response.headers];
    }
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const reference = (prepared: Response, text: string) =>
  new Response(text, { status: prepared.status, headers: prepared.headers });

describe('jsonResponse', () => {
  it('answers body operations as new Response(text) does, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.array(fc.constantFrom(...OPERATIONS), { maxLength: 5 }),
        async (value, operations) => {
          const prepared = jsonResponse(200, value);
          const plain = reference(prepared, JSON.stringify(value));
          for (const operation of operations) {
            expect(await observe(prepared, operation)).toEqual(await observe(plain, operation));
          }
          expect(prepared.bodyUsed).toBe(plain.bodyUsed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is a Response with its status and headers, and clones keep them', async () => {
    const response = jsonResponse(201, { a: 1 }, { headers: { 'X-Extra': 'yes' } });
    expect(response).toBeInstanceOf(Response);
    const copy = response.clone();
    expect(copy.status).toBe(201);
    expect(copy.headers.get('x-extra')).toBe('yes');
    expect(await copy.json()).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('{"a":1}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it('keeps its headers as a record until read, and reads as new Response(text) would', async () => {
    type Step = 'vary' | 'headers' | 'clone' | 'text';
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.array(fc.constantFrom<Step>('vary', 'headers', 'clone', 'text'), { maxLength: 6 }),
        async (value, steps) => {
          const text = JSON.stringify(value);
          const prepared = sourceJsonResponse(200, value);
          // The reference gets the same headers from a response of its own.
          const plain = new Response(text, { headers: sourceJsonResponse(200, value).headers });
          let read = false;
          for (const step of steps) {
            if (step === 'vary') {
              setPreparedHeader(prepared, 'Vary', 'Origin');
              plain.headers.set('Vary', 'Origin');
            } else if (step === 'headers') {
              expect([...prepared.headers]).toEqual([...plain.headers]);
            } else if (step === 'clone') {
              if (plain.bodyUsed) {
                expect(() => prepared.clone()).toThrow(TypeError);
              } else {
                const [a, b] = [prepared.clone(), plain.clone()];
                expect([...a.headers]).toEqual([...b.headers]);
                expect(await a.text()).toBe(await b.text());
              }
            } else {
              expect(await observe(prepared, 'text')).toEqual(await observe(plain, 'text'));
            }
            // Reading the headers, the body or a clone fills them; setting one does not.
            if (step !== 'vary') read = true;
            const record = preparedHeaders(prepared);
            expect(record === undefined).toBe(read);
            if (record !== undefined) {
              expect(Object.entries(record).sort()).toEqual([...plain.headers].sort());
            }
          }
          expect([...prepared.headers]).toEqual([...plain.headers]);
          expect(preparedHeaders(prepared)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses invalid header values a caller passes at once, as Headers does', () => {
    expect(() => jsonResponse(200, {}, { headers: { 'X-Bad': 'a\r\nb: c' } })).toThrow(TypeError);
    expect(() => jsonResponse(200, {}, { headers: { 'Bad Name': 'x' } })).toThrow(TypeError);
  });
});
