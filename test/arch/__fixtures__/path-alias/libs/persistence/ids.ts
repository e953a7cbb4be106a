export function newId(): string {
  return 'probe';
}
