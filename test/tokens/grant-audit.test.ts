import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '../../src/audit/event.js';
import { GRANT_AUDIT_TYPES, grantAuditType } from '../../src/tokens/grant-audit.js';

describe('grantAuditType', () => {
  it("uses Auth0's exchange codes", () => {
    expect(grantAuditType('client_credentials', 'success')).toBe('seccft');
    expect(grantAuditType('client_credentials', 'failure')).toBe('feccft');
    expect(grantAuditType('authorization_code', 'failure')).toBe('feacft');
    expect(grantAuditType('refresh_token', 'success')).toBe('sertft');
  });

  it('has no code for missing, unknown or prototype grant types', () => {
    for (const grant of [undefined, '', 'password', '__proto__', 'constructor', 'toString']) {
      expect(grantAuditType(grant, 'failure')).toBeUndefined();
    }
  });

  it('only uses codes the audit trail knows', () => {
    for (const pair of Object.values(GRANT_AUDIT_TYPES)) {
      expect(Object.keys(AUDIT_EVENT_TYPES)).toContain(pair.success);
      expect(Object.keys(AUDIT_EVENT_TYPES)).toContain(pair.failure);
    }
  });
});
