/**
 * Server nonces made without storage, and Auth0's sender-constraining table.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiPolicyOf, bindingFor } from '../../src/dpop/binding.js';
import { DpopNonces, NONCE_WINDOW_SECONDS } from '../../src/dpop/nonce.js';
import { readDpopOptions } from '../../src/dpop/options.js';

describe('DpopNonces', () => {
  const secret = randomBytes(32);
  const start = 1_800_000_000 - (1_800_000_000 % NONCE_WINDOW_SECONDS);

  it('accepts a nonce in its window and the next one, and not after', () => {
    const nonces = new DpopNonces(secret);
    const nonce = nonces.current(start);
    expect(nonces.current(start + NONCE_WINDOW_SECONDS - 1)).toBe(nonce);
    expect(nonces.accepts(nonce, start)).toBe(true);
    expect(nonces.accepts(nonce, start + 2 * NONCE_WINDOW_SECONDS - 1)).toBe(true);
    expect(nonces.accepts(nonce, start + 2 * NONCE_WINDOW_SECONDS)).toBe(false);
    expect(nonces.accepts(nonce, start - 1)).toBe(false);
    expect(nonces.current(start + NONCE_WINDOW_SECONDS)).not.toBe(nonce);
  });

  it('is accepted by another instance with the same secret only', () => {
    const nonce = new DpopNonces(secret).current(start);
    expect(new DpopNonces(Buffer.from(secret)).accepts(nonce, start)).toBe(true);
    expect(new DpopNonces(randomBytes(32)).accepts(nonce, start)).toBe(false);
  });

  it('refuses tampered, malformed and foreign values', () => {
    const nonces = new DpopNonces(secret);
    const nonce = nonces.current(start);
    const bytes = Buffer.from(nonce, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    for (const bad of [bytes.toString('base64url'), `${nonce}=`, '', 'x'.repeat(80), 42, null]) {
      expect(nonces.accepts(bad, start)).toBe(false);
    }
    expect(() => new DpopNonces(randomBytes(16))).toThrow(RangeError);
  });
});

describe('bindingFor: Auth0 sender constraining', () => {
  const cases = [
    // audience, client requires, proof, outcome
    ['userinfo', false, false, 'bearer'],
    ['userinfo', false, true, 'bind'],
    ['userinfo', true, false, 'proof_required_by_client'],
    ['userinfo', true, true, 'bind'],
    ['none', false, false, 'bearer'],
    ['none', false, true, 'bearer'],
    ['none', true, false, 'api_not_sender_constrained'],
    ['none', true, true, 'api_not_sender_constrained'],
    ['allowed', false, false, 'bearer'],
    ['allowed', false, true, 'bind'],
    ['allowed', true, false, 'proof_required_by_client'],
    ['allowed', true, true, 'bind'],
    ['required', false, false, 'proof_required_by_api'],
    ['required', false, true, 'bind'],
    ['required', true, false, 'proof_required_by_client'],
    ['required', true, true, 'bind'],
    ['mtls_required', false, true, 'mtls_not_served'],
  ] as const;
  it.each(cases)(
    '%s, client requires %s, proof %s: %s',
    (audience, clientRequires, proof, outcome) => {
      const binding = bindingFor({ audience, clientRequires, proof });
      expect(binding.outcome === 'refuse' ? binding.reason : binding.outcome).toBe(outcome);
    },
  );

  it('reads the API policy from Auth0 proof_of_possession', () => {
    expect(apiPolicyOf(undefined)).toBe('none');
    expect(apiPolicyOf(null)).toBe('none');
    expect(apiPolicyOf({ mechanism: 'dpop' })).toBe('allowed');
    expect(apiPolicyOf({ mechanism: 'dpop', required: false })).toBe('allowed');
    expect(apiPolicyOf({ mechanism: 'dpop', required: true })).toBe('required');
    expect(apiPolicyOf({ mechanism: 'mtls', required: false })).toBe('none');
    expect(apiPolicyOf({ mechanism: 'mtls', required: true })).toBe('mtls_required');
    expect(apiPolicyOf({ required: true })).toBe('none');
  });
});

describe('readDpopOptions', () => {
  it('defaults and checks each member', () => {
    expect(readDpopOptions(undefined)).toMatchObject({ nonce: false, proofMaxAgeSeconds: 300 });
    expect(readDpopOptions({ nonce: true, algorithms: ['ES256'] })).toMatchObject({
      nonce: true,
      algorithms: ['ES256'],
    });
    for (const [bad, pointer] of [
      [null, '/dpop'],
      [{ nonce: 'yes' }, '/dpop/nonce'],
      [{ proofMaxAgeSeconds: 4 }, '/dpop/proofMaxAgeSeconds'],
      [{ proofMaxAgeSeconds: 1.5 }, '/dpop/proofMaxAgeSeconds'],
      [{ algorithms: [] }, '/dpop/algorithms'],
      [{ algorithms: ['HS256'] }, '/dpop/algorithms'],
      [{ algorithms: ['none'] }, '/dpop/algorithms'],
    ] as const) {
      expect(() => readDpopOptions(bad)).toThrow(expect.objectContaining({ path: pointer }));
    }
  });
});
