/** The four client types of the "Create Client" dialog, with the Dashboard's labels. */
export const CLIENT_TYPES = [
  { value: 'native', label: 'Native' },
  { value: 'spa', label: 'Single Page Web Applications' },
  { value: 'regular_web', label: 'Regular Web Applications' },
  { value: 'non_interactive', label: 'Non Interactive Clients' },
] as const;

/** The label of an app type; Auth0's other types and a missing type read as they are. */
export function appTypeLabel(appType: string | undefined): string {
  if (appType === undefined) return 'Generic';
  return CLIENT_TYPES.find((type) => type.value === appType)?.label ?? appType;
}
